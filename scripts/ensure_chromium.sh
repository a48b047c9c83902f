#!/usr/bin/env bash
# Make sure headless Chromium is available for the review-pack browser test
# (tests/test_review_browser.py). Idempotent: a no-op when /usr/bin/chromium exists.
# Installs the Debian package `chromium` (needs root and apt-get); when the system has no
# Chinese font it also installs fonts-wqy-zenhei so that screenshots show Chinese text.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium 已安装：/usr/bin/chromium"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "需要 root 权限才能安装 chromium（请使用 sudo 运行本脚本）" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "未找到 apt-get：本脚本只支持 Debian/Ubuntu 系统" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "正在安装 chromium……"
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
if ! { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; }; then
    apt-get install -y -qq fonts-wqy-zenhei >/dev/null || echo "中文字体安装失败（不影响测试，截图中的中文可能显示为方框）" >&2
fi
if [ -x /usr/bin/chromium ]; then
    echo "chromium 安装完成：/usr/bin/chromium"
else
    echo "chromium 安装后仍未找到 /usr/bin/chromium" >&2
    exit 1
fi
