// Writes FILE.gz and FILE.br next to FILE, at the highest levels, for the
// server to send as they are (static/gzip.go). Node's zlib: no other tool.
'use strict';
const fs = require('fs');
const zlib = require('zlib');
const file = process.argv[2];
const body = fs.readFileSync(file);
fs.writeFileSync(file + '.gz', zlib.gzipSync(body, { level: 9 }));
fs.writeFileSync(file + '.br', zlib.brotliCompressSync(body, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length }
}));
