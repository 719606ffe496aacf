#!/bin/sh
# Quickstart boot script: run once by the operating system on the server's first boot.
set -eu
apt-get update
apt-get install -y nginx
echo "hello from ${HOSTNAME:-web-1}" > /var/www/html/index.html
