#!/usr/bin/env node
// The command's entry: a file in the tree rather than in dist/, so that npm links it when the
// package is installed, even in this repository before its first build.
import '../dist/cli/tickstream.js';
