// A Node `--import` hook for the tests: every `@tensorflow/*` package looks not installed
// (ERR_MODULE_NOT_FOUND, as Node reports a missing package), to check what `asl` says then.
import { register } from 'node:module';

const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@tensorflow/')) {
    const error = new Error("Cannot find package '" + specifier + "' (hidden by the test)");
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
