// Test helpers for code that must fail (a throw or a rejection): assert the error's class
// and that its message matches every pattern. docs/errors.md lists each error the
// reliability tests prove with them.

import { expect } from 'vitest';

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error `run` throws or its promise rejects with; fails the test if it succeeds. */
export async function caught(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return e as Error;
  }
  throw new Error('expected an error, but the call succeeded');
}

/** Asserts that `run` fails with an instance of `type` whose message matches each pattern. */
export async function expectError(run: () => unknown, type: ErrorClass, ...patterns: RegExp[]): Promise<Error> {
  const error = await caught(run);
  expect(error, `${error.name}: ${error.message}`).toBeInstanceOf(type);
  for (const p of patterns) expect(error.message).toMatch(p);
  return error;
}

/** The error `promise` rejects with, asserted to be a `type`; fails the test if it resolves. */
export async function rejectsWith<T extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await caught(() => promise);
  expect(error, `${error.name}: ${error.message}`).toBeInstanceOf(type);
  return error as T;
}

/** Escapes a literal for a RegExp (shapes like [8, 4] are full of brackets). */
export const lit = (s: string): RegExp => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
