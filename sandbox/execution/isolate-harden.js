// Runs INSIDE each fresh isolate, first, before anything else (not a Node module; read by isolate-run.ts).
// Evaluates to a function the worker calls once with the job's as-of time. It removes what is not ECMAScript
// computation, freezes the clock, locks in a stack-trace hook for error positions the operator cannot forge, and
// returns describeThrown, which isolate-runner.js uses to report an exception without its message.
(function harden(asOf, seed) {
  'use strict';
  const G = globalThis;
  const { defineProperty, freeze } = Object;
  const ReflectApply = Reflect.apply;
  const ReflectConstruct = Reflect.construct;
  const NativeWeakMap = WeakMap;
  const weakGet = WeakMap.prototype.get;
  const weakSet = WeakMap.prototype.set;
  const isInteger = Number.isInteger;
  const errorToString = Error.prototype.toString;

  // 1. Only ECMAScript computation. The context has no require, process, timers or network to begin with.
  //    WebAssembly memory is not counted against the isolate's memoryLimit; SharedArrayBuffer and Atomics give
  //    shared memory and a clock (Atomics.wait). An idle console would be harmless, but a captured one is an
  //    unchecked output channel, so console calls are accepted and print nothing.
  delete G.WebAssembly;
  delete G.SharedArrayBuffer;
  delete G.Atomics;
  const noop = function () {};
  const quietConsole = freeze({ log: noop, info: noop, warn: noop, error: noop, debug: noop, trace: noop, dir: noop, table: noop });
  defineProperty(G, 'console', { value: quietConsole, writable: false, enumerable: false, configurable: false });

  // 2. A frozen clock: Date.now() and new Date() give the job's as-of time. A clock would time side channels and make
  //    results depend on when the job ran. Intl.DateTimeFormat formats the real time when given no date, so it goes.
  const RealDate = Date;
  const realDateToString = RealDate.prototype.toString;
  function FrozenDate(...args) {
    if (new.target === undefined) return ReflectApply(realDateToString, new RealDate(asOf), []);
    return ReflectConstruct(RealDate, args.length === 0 ? [asOf] : args, new.target);
  }
  defineProperty(FrozenDate, 'name', { value: 'Date' });
  defineProperty(FrozenDate, 'length', { value: 7 });
  FrozenDate.now = function now() {
    return asOf;
  };
  FrozenDate.parse = RealDate.parse;
  FrozenDate.UTC = RealDate.UTC;
  defineProperty(FrozenDate, 'prototype', { value: RealDate.prototype, writable: false, enumerable: false, configurable: false });
  // the only path back to the real constructor is prototype.constructor
  defineProperty(RealDate.prototype, 'constructor', { value: FrozenDate, writable: true, enumerable: false, configurable: true });
  defineProperty(G, 'Date', { value: FrozenDate, writable: true, enumerable: false, configurable: true });
  if (typeof Intl === 'object' && Intl !== null) delete Intl.DateTimeFormat;

  // 2b. A seeded Math.random (xorshift128+ on two 32-bit words, the job's seed): every run of one job draws the same
  //     sequence, so a model that draws at module level behaves alike in all its runs. Draws inside map depend on the
  //     order rows arrive in, which differs between runs: such a model fails the row-locality check, as it should.
  let s0 = (seed ^ 0x9e3779b9) >>> 0 || 1;
  let s1 = Math.imul(seed ^ 0x85ebca6b, 0xc2b2ae35) >>> 0 || 2;
  const seededRandom = function random() {
    let t = s0 ^ (s0 << 11);
    s0 = s1;
    s1 = (s1 ^ (s1 >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return s1 / 4294967296;
  };
  defineProperty(Math, 'random', { value: seededRandom, writable: true, enumerable: false, configurable: true });

  // 3. Error positions the operator cannot forge. V8 calls Error.prepareStackTrace with structured frames; this one,
  //    locked in place, records the first frame that lies in the operator's module (eval and Function code excluded,
  //    since their line numbers are whatever the code made them). Reasons use that position and never the message.
  const MODEL_FILE = 'model.js';
  const positions = new NativeWeakMap();
  function prepareStackTrace(error, frames) {
    let text = 'Error';
    try {
      text = ReflectApply(errorToString, error, []);
    } catch {}
    try {
      for (let i = 0; i < frames.length; i++) {
        const frame = frames[i];
        if (frame.isEval() || frame.getFileName() !== MODEL_FILE) continue;
        ReflectApply(weakSet, positions, [error, [frame.getLineNumber(), frame.getColumnNumber()]]);
        break;
      }
      for (let i = 0; i < frames.length; i++) text += '\n    at ' + frames[i];
    } catch {}
    return text;
  }
  defineProperty(Error, 'prepareStackTrace', { value: prepareStackTrace, writable: false, enumerable: false, configurable: false });

  const ERROR_CLASSES = ['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'AggregateError'];

  function describeThrown(thrown) {
    // [1, class or null, line, column]; reading .name and .stack may run operator getters: still under the timeout
    let name = null;
    let line = 0;
    let column = 0;
    try {
      if (thrown !== null && (typeof thrown === 'object' || typeof thrown === 'function')) {
        name = 'Error';
        const n = thrown.name;
        for (let i = 0; i < ERROR_CLASSES.length; i++) if (n === ERROR_CLASSES[i]) name = n;
        void thrown.stack;
        const position = ReflectApply(weakGet, positions, [thrown]);
        if (position !== undefined) {
          line = position[0];
          column = position[1];
        }
      }
    } catch {}
    return [1, name, isInteger(line) ? line : 0, isInteger(column) ? column : 0];
  }

  return describeThrown;
});
