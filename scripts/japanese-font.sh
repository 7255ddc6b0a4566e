#!/usr/bin/env bash
# The font the Japanese lessons' pictures are drawn in (language.FontPaths): Debian's fonts-ipafont-gothic, installed
# with apt when it is missing and we may (root, or sudo without a password); otherwise one line says how.
set -euo pipefail
font=/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf
if [ -e "$font" ] || [ -n "${CENTERLOSS_JA_FONT:-}" ]; then
  exit 0
fi
if ! command -v apt-get > /dev/null; then
  echo "japanese-font: no apt-get here: the Japanese lessons' pictures take Noto Sans CJK or macOS's Hiragino where they are installed, or the font CENTERLOSS_JA_FONT names; else they stay in English" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  as_root=()
elif sudo -n true 2> /dev/null; then
  as_root=(sudo -n)
else
  echo "japanese-font: no IPA P Gothic here: the Japanese lessons' pictures take Noto Sans CJK where it is installed, else stay in English until you run: sudo apt-get install fonts-ipafont-gothic" >&2
  exit 0
fi
echo "japanese-font: installing Debian's fonts-ipafont-gothic for the Japanese lessons' pictures" >&2
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq fonts-ipafont-gothic > /dev/null
