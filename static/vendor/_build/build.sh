#!/bin/sh
# Builds ../echarts.min.js, a custom ECharts 5.4.3 with only the series
# types and components digigap draws (entry.js), and its precompressed
# copies (.gz, .br), from the versions pinned in package-lock.json.
# Reproducible: `npm ci` installs exactly the locked packages; the output's
# sha256 is recorded in ../README.md. The built files are committed, so
# `go build` needs no npm. Run from anywhere: sh static/vendor/_build/build.sh
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund >/dev/null
npx --no-install esbuild entry.js --bundle --minify --format=iife --target=es2015 \
  --define:process.env.NODE_ENV='"production"' --define:__DEV__=false --legal-comments=none --log-level=warning --outfile=../echarts.min.js
cp node_modules/echarts/LICENSE ../ECHARTS-LICENSE
cp node_modules/echarts/NOTICE ../ECHARTS-NOTICE
cp node_modules/echarts/licenses/LICENSE-d3 ../ECHARTS-LICENSE-d3
cp node_modules/zrender/LICENSE ../ZRENDER-LICENSE
# Precompressed at build time: the server sends these as they are.
node compress.js ../echarts.min.js
sha256sum ../echarts.min.js ../echarts.min.js.gz ../echarts.min.js.br
