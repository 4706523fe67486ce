#!/usr/bin/env -S node --import tsx
// Runs the TypeScript sources directly (no build), for development. CommonJS, like bin/run.js.
'use strict'
import('@oclif/core').then(({execute}) => execute({development: true, dir: require('node:path').join(__dirname, '..')}))
