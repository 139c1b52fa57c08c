"""Resource types beyond the network core: load balancing, compute fleets, serverless,
data stores, IAM and audit."""

from __future__ import annotations

from policycheck.model import Unknown

from .conftest import Loader

TEMPLATE = """
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Peer:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.1.0.0/16}
  Peering:
    Type: AWS::EC2::VPCPeeringConnection
    Properties: {VpcId: !Ref Vpc, PeerVpcId: !Ref Peer}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: d, VpcId: !Ref Vpc}
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Subnets: [!Ref Subnet]
      SecurityGroups: [!GetAtt Sg.GroupId]
      LoadBalancerAttributes:
        - {Key: routing.http.drop_invalid_header_fields.enabled, Value: "true"}
  Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {VpcId: !Ref Vpc, Port: 8080, Protocol: HTTP}
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 80
      Protocol: HTTP
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Tg}]
  Rule:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref Http
      Priority: 1
      Conditions: []
      Actions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS}}]
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-1
        SecurityGroupIds: [!Ref Sg]
        MetadataOptions: {HttpTokens: required}
        UserData: !Base64 "#!/bin/sh\\necho hi\\n"
  Asg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "3"
      VPCZoneIdentifier: [!Ref Subnet]
      TargetGroupARNs: [!Ref Tg]
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: !GetAtt Lt.LatestVersionNumber}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com},
                     Action: sts:AssumeRole}]
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.8, Handler: a.b, Role: !GetAtt Role.Arn,
                 Code: {ZipFile: x}}
  Url:
    Type: AWS::Lambda::Url
    Properties: {TargetFunctionArn: !GetAtt Fn.Arn, AuthType: NONE}
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: mysql, EngineVersion: "5.7", PubliclyAccessible: true,
                 VPCSecurityGroups: [!Ref Sg]}
  Key:
    Type: AWS::KMS::Key
    Properties: {EnableKeyRotation: true}
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms, KMSMasterKeyID: !Ref Key}
      PublicAccessBlockConfiguration: {BlockPublicAcls: true}
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*",
                     Condition: {Bool: {aws:SecureTransport: "false"}}}]
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, S3BucketName: !Ref Bucket, IsMultiRegionTrail: true}
  Logs:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceId: !Ref Vpc, ResourceType: VPC, TrafficType: ALL}
"""


def test_services_are_modelled_with_aws_semantics(load: Loader) -> None:
    result = load(TEMPLATE)
    model = result.model
    assert [d.message for d in result.diagnostics] == []
    [alb] = model.load_balancers
    assert (alb.load_balancer_type, alb.scheme, alb.subnets, alb.security_groups) == (
        "application", "internet-facing", ["Subnet"], ["Sg"])
    assert alb.drop_invalid_header_fields is True
    assert alb.access_logs_enabled is False  # AWS's default when no attribute sets it
    [listener] = model.lb_listeners
    assert (listener.port, listener.default_actions[0].target_groups) == (80, ["Tg"])
    assert [a.redirect_protocol for a in listener.rule_actions] == ["HTTPS"]
    [asg] = model.autoscaling_groups
    assert (asg.launch_template, asg.target_groups, asg.min_size) == ("Lt", ["Tg"], 1)
    [lt] = model.launch_templates
    assert lt.user_data == "#!/bin/sh\necho hi\n"
    assert lt.metadata_options is not None and lt.metadata_options.http_tokens == "required"
    [role] = model.iam_roles
    assert role.managed_policies == ["arn:aws:iam::aws:policy/AdministratorAccess"]
    assert role.assume_role_policy is not None
    assert role.assume_role_policy.statements[0].principals == {
        "Service": ["lambda.amazonaws.com"]}
    [fn] = model.lambda_functions
    assert (fn.runtime, fn.role) == ("python3.8", "Role")  # GetAtt Arn: the reference
    [url] = model.lambda_function_urls
    assert (url.function, url.authorization_type) == ("Fn", "NONE")
    assert isinstance(role.name, Unknown)  # generated at deploy
    [db] = model.db_instances
    assert (db.engine_version, db.publicly_accessible, db.security_groups) == (
        "5.7", True, ["Sg"])
    [bucket] = model.s3_buckets
    assert (bucket.encryption_algorithm, bucket.kms_key) == ("aws:kms", "Key")
    assert bucket.public_access_block is not None
    assert bucket.public_access_block.block_public_acls is True
    assert bucket.policy is not None
    assert bucket.policy.statements[0].conditions[0].key == "aws:SecureTransport"
    assert model.kms_keys[0].enable_key_rotation is True
    assert model.cloudtrails[0].is_multi_region is True
    assert model.flow_logs[0].resource == "Vpc"
    [peering] = model.vpc_peering_connections
    assert (peering.vpc, peering.peer_vpc) == ("Vpc", "Peer")
