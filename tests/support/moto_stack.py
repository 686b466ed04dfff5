"""Deploys deploy/cloudformation.yaml (pipeline only: CreateService=false) into moto server's
CloudFormation and prints the stack's outputs as one JSON object.

    python3 moto_stack.py ENDPOINT TEMPLATE STACK_NAME

moto's CloudFormation skips resource types it does not implement, among them
AWS::Logs::SubscriptionFilter; for those the script applies the template's own properties
through the service API, resolving the references from the stack's outputs, so what is tested
is still what the template says. Any other skipped resource is an error.
"""

import json
import sys
import time

import boto3
import yaml

endpoint, template_path, stack = sys.argv[1:4]
session = boto3.session.Session(
    aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
)
cfn = session.client("cloudformation", endpoint_url=endpoint)
logs = session.client("logs", endpoint_url=endpoint)

body = open(template_path).read()
template = yaml.safe_load(body)
cfn.create_stack(
    StackName=stack,
    TemplateBody=body,
    Parameters=[
        {"ParameterKey": "CreateService", "ParameterValue": "false"},
        {"ParameterKey": "ShardCount", "ParameterValue": "1"},
    ],
    Capabilities=["CAPABILITY_IAM"],
)
deadline = time.time() + 60
while True:
    status = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    if status["StackStatus"].endswith("_COMPLETE") or status["StackStatus"].endswith("_FAILED"):
        break
    if time.time() > deadline:
        sys.exit(f"stack {stack} still {status['StackStatus']} after 60 s")
    time.sleep(0.5)
if status["StackStatus"] != "CREATE_COMPLETE":
    sys.exit(f"stack {stack}: {status['StackStatus']} {status.get('StackStatusReason', '')}")
outputs = {o["OutputKey"]: o["OutputValue"] for o in status.get("Outputs", [])}

created = {r["LogicalResourceId"] for r in cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]}
for name, resource in template["Resources"].items():
    if "Condition" in resource or name in created:
        continue
    if resource["Type"] != "AWS::Logs::SubscriptionFilter":
        sys.exit(f"moto did not create {name} ({resource['Type']})")
    props = resource["Properties"]
    # The references this resource makes, as the stack resolved them.
    assert props["DestinationArn"] == {"Fn::GetAtt": ["Stream", "Arn"]}, props
    assert props["RoleArn"] == {"Fn::GetAtt": ["SubscriptionRole", "Arn"]}, props
    logs.put_subscription_filter(
        logGroupName=outputs["AccessLogGroupName"],
        filterName=props["FilterName"],
        filterPattern=props["FilterPattern"],
        destinationArn=outputs["StreamArn"],
        roleArn=outputs["SubscriptionRoleArn"],
    )
print(json.dumps(outputs))
