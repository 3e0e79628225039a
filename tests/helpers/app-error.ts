import { AppError } from '../../src/core/errors.js';

/** The AppError a call throws; fails the test when it throws nothing or something else. */
export function appError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}
