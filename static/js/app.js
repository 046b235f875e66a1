/*
 * digigap — shared browser script for respondent and dashboard pages.
 * Served from the binary (package static) at /static/js/app.js; link it with
 * static.AssetURL("js/app.js"). It must never load anything from another host.
 */
'use strict';
