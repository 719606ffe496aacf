#!/bin/sh
# Web-cluster boot script: run once by the operating system on each web server's first boot.
# Sent to Vultr verbatim (no ${VAR} interpolation by vultr-state) and never printed by vultr-state.
set -eu
apt-get update
apt-get install -y nginx
echo "served by $(hostname)" > /var/www/html/index.html
