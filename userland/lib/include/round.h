// round.h: rounding an integer to a multiple of a step (a page size, a block size). The
// arguments are evaluated more than once; STEP must not be 0.
#ifndef KEOS_ROUND_H
#define KEOS_ROUND_H

// X rounded up to the next multiple of STEP (X itself if it is one).
#define ROUND_UP(X, STEP) (((X) + (STEP) - 1) / (STEP) * (STEP))
// How many STEP-sized pieces hold X: X / STEP, rounded up.
#define DIV_ROUND_UP(X, STEP) (((X) + (STEP) - 1) / (STEP))
// X rounded down to a multiple of STEP.
#define ROUND_DOWN(X, STEP) ((X) / (STEP) * (STEP))

#endif
