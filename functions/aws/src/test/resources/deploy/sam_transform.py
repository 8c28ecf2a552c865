"""Transforms a SAM template the way `sam package` + CloudFormation would, and prints the result.

Local CodeUri paths are replaced by s3:// URIs (what `sam package` uploads and writes), because the
SAM translator accepts only S3 locations. The region comes from AWS_DEFAULT_REGION (the translator
builds partition-specific ARNs from it). Managed policy names would need IAM calls; the bundled map
of AWS managed policies is used instead, so no credentials or network are needed.

Usage: python3 sam_transform.py template.yaml > transformed.json  (exit 1 with the reason on failure)
"""
import json
import sys

from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.translator.arn_generator import NoRegionFound
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class BundledPolicyLoader:
    """The translator asks for managed policy ARNs by name; answer from its bundled map."""

    def load(self):
        from samtranslator.internal.managed_policies import get_bundled_managed_policy_map

        return get_bundled_managed_policy_map("aws") or {}


def package(template):
    for name, resource in template.get("Resources", {}).items():
        properties = resource.get("Properties", {})
        if resource.get("Type") in ("AWS::Serverless::Function", "AWS::Serverless::LayerVersion"):
            key = "CodeUri" if resource["Type"] == "AWS::Serverless::Function" else "ContentUri"
            uri = properties.get(key)
            if isinstance(uri, str) and not uri.startswith("s3://"):
                properties[key] = "s3://sam-package-bucket/" + name + "/" + uri.rsplit("/", 1)[-1]
    return template


def main(path):
    with open(path, encoding="utf-8") as source:
        template = yaml_parse(source.read())
    try:
        output = transform(package(template), {}, BundledPolicyLoader())
    except InvalidDocumentException as error:
        causes = "\n".join("  " + cause.message for cause in error.causes)
        print(f"SAM translator rejected {path}:\n{causes}", file=sys.stderr)
        return 1
    except NoRegionFound:
        print("SAM translator needs an AWS region: set AWS_DEFAULT_REGION", file=sys.stderr)
        return 1
    json.dump(output, sys.stdout, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
