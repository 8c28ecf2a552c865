#!/usr/bin/env bash
# Creates what the AWS adapters expect, idempotently, from the variables the app and the worker bind
# as lipsync.aws.* (LipsyncSettings.Aws in functions/domain, whose defaults these repeat and
# LocalstackInitScriptTest compares: LIPSYNC_AWS_TABLE, LIPSYNC_AWS_BUCKET, LIPSYNC_AWS_QUEUE,
# LIPSYNC_AWS_DEADLETTERQUEUE, LIPSYNC_AWS_MAXRECEIVES, LIPSYNC_AWS_VISIBILITY, LIPSYNC_AWS_SESSIONTTL;
# durations as Spring reads them: 90s, 2m, 24h, 1d, 500ms, a bare number being milliseconds) and the
# same attributes as template.yaml:
#   table   key id (S, hash), on-demand, TTL on expiresAt
#   bucket  public access blocked, CORS GET/HEAD for players, hls/ expires after the session TTL
#   queue   redrive to the dead-letter queue after LIPSYNC_AWS_MAXRECEIVES receives
# LocalStack runs it from /etc/localstack/init/ready.d (awslocal inside the container); elsewhere
# (moto_server, or a LocalStack started by hand) it uses `aws --endpoint-url "$AWS_ENDPOINT_URL"`.
set -euo pipefail

fail() { echo "init-aws: $*" >&2; exit 1; }

# A duration in whole seconds (SQS's unit) from Spring's simple form: <n>[ms|s|m|h|d], a bare number
# being milliseconds. $1: the variable's name, for the message; $2: its value.
seconds_of() {
  local name=$1 value=$2 n unit
  [[ "$value" =~ ^([0-9]+)(ms|s|m|h|d)?$ ]] \
    || fail "$name must be a duration such as 90s, 2m or 24h, was '$value'"
  n=$((10#${BASH_REMATCH[1]})) unit=${BASH_REMATCH[2]:-ms}
  case "$unit" in
    ms) ((n % 1000 == 0)) || fail "$name must be whole seconds for SQS, was '$value'"; echo $((n / 1000)) ;;
    s) echo "$n" ;;
    m) echo $((n * 60)) ;;
    h) echo $((n * 3600)) ;;
    d) echo $((n * 86400)) ;;
  esac
}

table=${LIPSYNC_AWS_TABLE:-lipsync-sessions}
bucket=${LIPSYNC_AWS_BUCKET:-lipsync-streams}
queue=${LIPSYNC_AWS_QUEUE:-lipsync-jobs}
dlq=${LIPSYNC_AWS_DEADLETTERQUEUE:-lipsync-jobs-dlq}
max_receives=${LIPSYNC_AWS_MAXRECEIVES:-3}
visibility=$(seconds_of LIPSYNC_AWS_VISIBILITY "${LIPSYNC_AWS_VISIBILITY:-90s}")
ttl_seconds=$(seconds_of LIPSYNC_AWS_SESSIONTTL "${LIPSYNC_AWS_SESSIONTTL:-24h}")
export AWS_DEFAULT_REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}
region=$AWS_DEFAULT_REGION

if command -v awslocal >/dev/null 2>&1 && [[ -z "${AWS_ENDPOINT_URL:-}" ]]; then
  aws_cli=(awslocal)
else
  [[ -n "${AWS_ENDPOINT_URL:-}" ]] || fail "set AWS_ENDPOINT_URL (e.g. http://127.0.0.1:4566) or run inside LocalStack (awslocal)"
  command -v aws >/dev/null 2>&1 || fail "the aws CLI is missing: pip install awscli (or apt-get install awscli)"
  export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
  aws_cli=(aws --endpoint-url "$AWS_ENDPOINT_URL")
fi
awsc() { "${aws_cli[@]}" --output text "$@"; }

[[ "$max_receives" =~ ^[0-9]+$ ]] && ((max_receives >= 1 && max_receives <= 1000)) \
  || fail "LIPSYNC_AWS_MAXRECEIVES must be 1..1000 (the SQS redrive limit), was '$max_receives'"
((visibility <= 43200)) || fail "LIPSYNC_AWS_VISIBILITY must be at most 12 h (the SQS limit), was ${visibility}s"
((ttl_seconds > 0)) || fail "LIPSYNC_AWS_SESSIONTTL must be positive, was ${ttl_seconds}s"

# The endpoint must answer before anything is created: a clear message instead of a CLI retry storm.
awsc sqs list-queues >/dev/null 2>&1 || fail "no AWS endpoint answers at ${AWS_ENDPOINT_URL:-awslocal} (is LocalStack / moto_server running?)"

# --- DynamoDB: sessions --------------------------------------------------------------------
if ! awsc dynamodb describe-table --table-name "$table" >/dev/null 2>&1; then
  awsc dynamodb create-table --table-name "$table" \
    --attribute-definitions AttributeName=id,AttributeType=S \
    --key-schema AttributeName=id,KeyType=HASH \
    --billing-mode PAY_PER_REQUEST >/dev/null
  awsc dynamodb wait table-exists --table-name "$table"
fi
if [[ "$(awsc dynamodb describe-time-to-live --table-name "$table" \
        --query 'TimeToLiveDescription.TimeToLiveStatus')" != ENABLED ]]; then
  awsc dynamodb update-time-to-live --table-name "$table" \
    --time-to-live-specification Enabled=true,AttributeName=expiresAt >/dev/null
fi

# --- S3: streams ---------------------------------------------------------------------------
if ! awsc s3api head-bucket --bucket "$bucket" >/dev/null 2>&1; then
  if [[ "$region" == us-east-1 ]]; then
    awsc s3api create-bucket --bucket "$bucket" >/dev/null
  else
    awsc s3api create-bucket --bucket "$bucket" \
      --create-bucket-configuration "LocationConstraint=$region" >/dev/null
  fi
fi
awsc s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
awsc s3api put-bucket-cors --bucket "$bucket" --cors-configuration '{
  "CORSRules": [{
    "AllowedMethods": ["GET", "HEAD"],
    "AllowedOrigins": ["*"],
    "AllowedHeaders": ["Range", "Origin", "Accept"],
    "ExposeHeaders": ["Content-Length", "Content-Range", "Content-Type", "ETag"],
    "MaxAgeSeconds": 3600
  }]
}'
days=$(( (ttl_seconds + 86399) / 86400 ))
awsc s3api put-bucket-lifecycle-configuration --bucket "$bucket" --lifecycle-configuration "{
  \"Rules\": [{\"ID\": \"expire-streams\", \"Filter\": {\"Prefix\": \"hls/\"}, \"Status\": \"Enabled\",
               \"Expiration\": {\"Days\": $days}}]
}"

# --- SQS: jobs and dead letters ------------------------------------------------------------
dlq_url=$(awsc sqs create-queue --queue-name "$dlq" --attributes MessageRetentionPeriod=1209600 --query QueueUrl)
dlq_arn=$(awsc sqs get-queue-attributes --queue-url "$dlq_url" --attribute-names QueueArn --query Attributes.QueueArn)
redrive="{\"deadLetterTargetArn\":\"$dlq_arn\",\"maxReceiveCount\":\"$max_receives\"}"
# SQS takes the redrive policy as a JSON document inside a string attribute.
queue_attributes="{\"VisibilityTimeout\":\"$visibility\",\"RedrivePolicy\":\"${redrive//\"/\\\"}\"}"
if queue_url=$(awsc sqs get-queue-url --queue-name "$queue" --query QueueUrl 2>/dev/null); then
  awsc sqs set-queue-attributes --queue-url "$queue_url" --attributes "$queue_attributes"
else
  queue_url=$(awsc sqs create-queue --queue-name "$queue" --attributes "$queue_attributes" --query QueueUrl)
fi

echo "table=$table"
echo "bucket=$bucket"
echo "queueUrl=$queue_url"
echo "deadLetterQueueUrl=$dlq_url"
