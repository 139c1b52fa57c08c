"""Default ports of the services (and the packages that install them) user data may start.

Package and unit names differ across distributions; each maps to the ports its daemon
listens on by default.
"""

from __future__ import annotations

_TCP = "tcp"
_UDP = "udp"

SERVICE_PORTS: dict[str, tuple[tuple[str, int], ...]] = {
    # remote access
    "sshd": ((_TCP, 22),), "ssh": ((_TCP, 22),), "openssh-server": ((_TCP, 22),),
    "telnetd": ((_TCP, 23),), "telnet-server": ((_TCP, 23),), "inetutils-telnetd": ((_TCP, 23),),
    "xinetd": ((_TCP, 23),),
    "xrdp": ((_TCP, 3389),),
    "vsftpd": ((_TCP, 21),), "proftpd": ((_TCP, 21),), "pure-ftpd": ((_TCP, 21),),
    "rsh-server": ((_TCP, 514),),
    # web
    "nginx": ((_TCP, 80), (_TCP, 443)), "httpd": ((_TCP, 80), (_TCP, 443)),
    "apache2": ((_TCP, 80), (_TCP, 443)), "lighttpd": ((_TCP, 80),),
    "tomcat": ((_TCP, 8080),), "tomcat9": ((_TCP, 8080),),
    # databases and caches
    "mysqld": ((_TCP, 3306),), "mysql-server": ((_TCP, 3306),), "mariadb": ((_TCP, 3306),),
    "mariadb-server": ((_TCP, 3306),), "postgresql": ((_TCP, 5432),),
    "postgresql-server": ((_TCP, 5432),), "postgres": ((_TCP, 5432),),
    "mongod": ((_TCP, 27017),), "mongodb-org": ((_TCP, 27017),),
    "redis": ((_TCP, 6379),), "redis-server": ((_TCP, 6379),),
    "memcached": ((_TCP, 11211), (_UDP, 11211)),
    "elasticsearch": ((_TCP, 9200), (_TCP, 9300)),
    # file sharing and directory
    "smbd": ((_TCP, 445), (_TCP, 139)), "samba": ((_TCP, 445), (_TCP, 139)),
    "nfs-server": ((_TCP, 2049), (_UDP, 2049)), "nfs-kernel-server": ((_TCP, 2049),),
    "slapd": ((_TCP, 389),),
    # network services
    "snmpd": ((_UDP, 161),), "bind9": ((_UDP, 53), (_TCP, 53)), "named": ((_UDP, 53), (_TCP, 53)),
    "dnsmasq": ((_UDP, 53),), "postfix": ((_TCP, 25),), "sendmail": ((_TCP, 25),),
    "rpcbind": ((_TCP, 111), (_UDP, 111)),
}
