<?php

declare(strict_types=1);

namespace Werun;

/**
 * libwerun cannot be used: FFI missing or restricted, the library not found, not loadable, or
 * of another ABI version. The message says what to install or configure. (Not a
 * WerunException: it is about the server's setup, not the payload.)
 */
final class LoadException extends \RuntimeException
{
}
