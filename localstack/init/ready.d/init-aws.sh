#!/usr/bin/env bash
# Creates what the AWS adapters expect, idempotently, with the names AwsSettings reads
# (functions/aws: LIPSYNC_TABLE, LIPSYNC_BUCKET, LIPSYNC_QUEUE, LIPSYNC_DLQ, LIPSYNC_MAX_RECEIVES,
# LIPSYNC_VISIBILITY_SECONDS, LIPSYNC_SESSION_TTL_SECONDS) and the same attributes as template.yaml:
#   table   key id (S, hash), on-demand, TTL on expiresAt
#   bucket  public access blocked, CORS GET/HEAD for players, hls/ expires after the session TTL
#   queue   redrive to the dead-letter queue after LIPSYNC_MAX_RECEIVES receives
# LocalStack runs it from /etc/localstack/init/ready.d (awslocal inside the container); elsewhere
# (moto_server, or a LocalStack started by hand) it uses `aws --endpoint-url "$AWS_ENDPOINT_URL"`.
set -euo pipefail

table=${LIPSYNC_TABLE:-lipsync-sessions}
bucket=${LIPSYNC_BUCKET:-lipsync-streams}
queue=${LIPSYNC_QUEUE:-lipsync-jobs}
dlq=${LIPSYNC_DLQ:-lipsync-jobs-dlq}
max_receives=${LIPSYNC_MAX_RECEIVES:-3}
visibility=${LIPSYNC_VISIBILITY_SECONDS:-90}
ttl_seconds=${LIPSYNC_SESSION_TTL_SECONDS:-86400}
export AWS_DEFAULT_REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}
region=$AWS_DEFAULT_REGION

fail() { echo "init-aws: $*" >&2; exit 1; }

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
  || fail "LIPSYNC_MAX_RECEIVES must be 1..1000 (the SQS redrive limit), was '$max_receives'"
[[ "$visibility" =~ ^[0-9]+$ ]] && ((visibility <= 43200)) \
  || fail "LIPSYNC_VISIBILITY_SECONDS must be 0..43200, was '$visibility'"
[[ "$ttl_seconds" =~ ^[0-9]+$ ]] && ((ttl_seconds > 0)) \
  || fail "LIPSYNC_SESSION_TTL_SECONDS must be a positive whole number, was '$ttl_seconds'"

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
