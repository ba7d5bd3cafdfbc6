<?php

declare(strict_types=1);

namespace Werun;

/** One day of WeRun data. json_encode() gives {"timestamp":…,"step":…}. */
final class Step
{
    public function __construct(
        /** Start of the day (00:00 UTC+8), Unix seconds. */
        public readonly int $timestamp,
        /** Steps walked that day. */
        public readonly int $step,
    ) {
    }
}
