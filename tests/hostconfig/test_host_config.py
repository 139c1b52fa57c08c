"""HostConfig extraction: shell, cloud-config, MIME, base64; lines in the user data and
in the template."""

from __future__ import annotations

import base64
import gzip
from pathlib import Path

from policycheck.frontends.cloudformation import load_cloudformation
from policycheck.frontends.interface import CloudFormationInputs, TerraformInputs
from policycheck.frontends.terraform import load_terraform
from policycheck.hostconfig.collect import Origin
from policycheck.hostconfig.extract import host_config, host_config_of
from policycheck.hostconfig.shell_facts import package_pin, world_writable

SHELL = """#!/bin/bash
export DB_PASSWORD=hunter2
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
sed -i 's/^#\\?PermitRootLogin.*/PermitRootLogin yes/' /etc/ssh/sshd_config
echo "PasswordAuthentication yes" | sudo tee -a /etc/ssh/sshd_config
echo -e "Protocol 1\\nX11Forwarding yes" >> /etc/ssh/sshd_config.d/10-x.conf
cat >> /etc/sysctl.conf <<CONF
kernel.randomize_va_space = 0
CONF
sysctl -w net.ipv4.ip_forward=1
if true; then yum install -y httpd-2.4.49 mod_ssl; fi
apt-get install -y nginx=1.18.0-0ubuntu1 -o Dpkg::Options::=--force-confold
pip3 install flask==1.0 'django>=2'
systemctl enable --now httpd.service
chkconfig telnet on
chmod -R 777 /etc
chmod o+w /usr/local/bin
sed -i 's/^PASS_MAX_DAYS.*/PASS_MAX_DAYS   99999/' /etc/login.defs
echo "minlen = 6" > /etc/security/pwquality.conf
echo 'root:Sup3rS3cret' | chpasswd
mysql --password=abc123 -e 'select 1'
"""


def test_shell_facts_with_lines() -> None:
    config = host_config(SHELL, Origin("main.tf", 10, inline=True))
    sshd = {(s.keyword, s.value, s.at.line, s.at.template_line) for s in config.sshd}
    assert sshd == {("permitrootlogin", "yes", 4, 13), ("passwordauthentication", "yes", 5, 14),
                    ("protocol", "1", 6, 15), ("x11forwarding", "yes", 6, 15)}
    assert {(p.name, p.version) for p in config.packages} == {
        ("httpd", "2.4.49"), ("mod_ssl", None), ("nginx", "1.18.0-0ubuntu1"),
        ("flask", "1.0"), ("django", None)}
    assert {(s.name, s.action) for s in config.services} == {
        ("httpd", "enable"), ("httpd", "start"), ("telnet", "enable")}
    assert config.setting("sysctl", "kernel.randomize_va_space") is not None
    aslr = config.setting("sysctl", "kernel.randomize_va_space")
    assert aslr is not None and (aslr.value, aslr.at.line) == ("0", 8)
    assert {(p.path, p.world_writable, p.recursive) for p in config.permissions} == {
        ("/etc", True, True), ("/usr/local/bin", True, False)}
    policy = {(p.key, p.value) for p in config.password_policy}
    assert policy == {("PASS_MAX_DAYS", "99999"), ("minlen", "6")}
    secrets = {(s.kind, s.name, s.at.line) for s in config.secrets}
    assert secrets == {("password", "DB_PASSWORD", 2), ("aws-access-key", "AWS access key id", 3),
                       ("password", "chpasswd root", 20), ("password", "password", 21)}
    assert all("hunter2" not in s.preview for s in config.secrets)


def test_sshd_effective_prefers_dropins_and_last_main_write() -> None:
    config = host_config("sed -i 's/^PermitRootLogin.*/PermitRootLogin no/' /etc/ssh/sshd_config\n"
                         "echo 'PermitRootLogin yes' >> /etc/ssh/sshd_config\n")
    effective = config.sshd_effective("PermitRootLogin")
    assert effective is not None and effective.value == "yes"
    dropin = host_config("echo 'PermitRootLogin no' > /etc/ssh/sshd_config.d/01-a.conf\n"
                         "echo 'PermitRootLogin yes' >> /etc/ssh/sshd_config\n")
    effective = dropin.sshd_effective("permitrootlogin")
    assert effective is not None and effective.value == "no"


CLOUD = """#cloud-config
ssh_pwauth: true
disable_root: false
password: Passw0rd!
packages:
  - [httpd, 2.4.49]
  - nginx
write_files:
  - path: /etc/ssh/sshd_config.d/50-custom.conf
    content: |
      PermitEmptyPasswords yes
      MaxAuthTries 10
runcmd:
  - systemctl enable telnet.socket
  - [chmod, "777", /var]
"""


def test_cloud_config_facts_with_lines() -> None:
    config = host_config(CLOUD, Origin("t.yaml", 20, inline=True))
    sshd = {(s.keyword, s.value, s.at.line) for s in config.sshd}
    assert sshd == {("passwordauthentication", "yes", 2), ("disable_root", "false", 3),
                    ("permitemptypasswords", "yes", 11), ("maxauthtries", "10", 12)}
    assert {(p.name, p.version, p.at.line) for p in config.packages} == {
        ("httpd", "2.4.49", 6), ("nginx", None, 7)}
    assert [(s.name, s.action, s.at.line) for s in config.services] == [
        ("telnet.socket", "enable", 14)]
    assert [(p.path, p.world_writable, p.at.line) for p in config.permissions] == [
        ("/var", True, 15)]
    assert [(s.name, s.at.template_line) for s in config.secrets] == [("password", 23)]
    assert config.forms == ("cloud-config",)


def test_mime_multipart_keeps_lines_of_plain_parts() -> None:
    document = ("Content-Type: multipart/mixed; boundary=\"XX\"\nMIME-Version: 1.0\n\n"
                "--XX\nContent-Type: text/cloud-config; charset=\"us-ascii\"\n\n"
                "#cloud-config\nssh_pwauth: true\n\n"
                "--XX\nContent-Type: text/x-shellscript; charset=\"us-ascii\"\n\n"
                "#!/bin/bash\nyum install -y httpd-2.4.49\n--XX--\n")
    config = host_config(document)
    assert [(s.keyword, s.at.line) for s in config.sshd] == [("passwordauthentication", 8)]
    assert [(p.name, p.version, p.at.line) for p in config.packages] == [
        ("httpd", "2.4.49", 14)]
    assert "mime" in config.forms


def test_base64_and_gzip_user_data_are_decoded_without_line_mapping() -> None:
    text = base64.b64encode(gzip.compress(b"#!/bin/sh\napk add nginx=1.18.0-r0\n")).decode()
    config = host_config(text, Origin("main.tf", 7, inline=True))
    assert [(p.name, p.version, p.at.line, p.at.template_line) for p in config.packages] == [
        ("nginx", "1.18.0-r0", 2, 7)]


def test_unparsable_lines_are_problems() -> None:
    config = host_config("systemctl start sshd\nif then fi ((\nyum install -y telnet\n")
    assert {s.name for s in config.services} == {"sshd"}
    assert {p.name for p in config.packages} == {"telnet"}
    assert config.problems


def test_package_versions_and_modes() -> None:
    assert package_pin("httpd-2.4.49-1.amzn2", "rpm") == ("httpd", "2.4.49-1.amzn2")
    assert package_pin("python3-pip", "rpm") == ("python3-pip", None)
    assert package_pin("Django==4.2.1", "pip") == ("django", "4.2.1")
    assert world_writable("1777") and world_writable("a+w") and not world_writable("755")
    assert not world_writable("u+w,g+w")


TF = """resource "aws_instance" "web" {
  ami       = "ami-12345678"
  user_data = <<-EOF
    #!/bin/bash
    echo "PermitRootLogin yes" >> /etc/ssh/sshd_config
  EOF
}
"""

CFN = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          echo "PermitRootLogin yes" >> /etc/ssh/sshd_config
  Other:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      UserData: !Base64 "#!/bin/bash\\necho 'PermitRootLogin yes' >> /etc/ssh/sshd_config\\n"
"""


def test_front_ends_give_template_lines(tmp_path: Path) -> None:
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(TF)
    model = load_terraform(tmp_path / "tf", tmp_path / "tf", TerraformInputs()).model
    config = host_config_of(model.instances[0])
    assert config is not None and [s.at.template_line for s in config.sshd] == [5]
    template = tmp_path / "t.yaml"
    template.write_text(CFN)
    model = load_cloudformation(template, tmp_path, CloudFormationInputs()).model
    lines = {}
    for instance in model.instances:
        config = host_config_of(instance)
        assert config is not None
        lines[instance.id] = [s.at.template_line for s in config.sshd]
    assert lines == {"Web": [10], "Other": [15]}
