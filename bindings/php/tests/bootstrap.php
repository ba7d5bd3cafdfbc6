<?php

// PHPUnit's bootstrap: the package's classes from src/ (PSR-4 Werun\, as Composer maps them),
// and helpers for the tests. The library comes from WERUN_LIBRARY (run-tests.sh sets it).

declare(strict_types=1);

namespace Werun\Tests;

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Werun\\') && !str_starts_with($class, 'Werun\\Tests\\')) {
        $file = dirname(__DIR__) . '/src/' . str_replace('\\', '/', substr($class, 6)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

const PACKAGE = __DIR__ . '/..';
const ROOT = __DIR__ . '/../../..';

/** tests/vectors/werun.json; integers beyond PHP's int (u64 max_age) as strings. */
function vectors(): array
{
    static $data = null;
    return $data ??= json_decode((string) file_get_contents(ROOT . '/tests/vectors/werun.json'), true, 512,
        JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
}

/**
 * Runs `php [ini...] -r CODE` (or a file) in a child process with ENV added (null removes a
 * variable); returns [exit status, stdout, stderr].
 *
 * @param array<string, ?string> $env
 * @param list<string> $phpArgs
 * @return array{0: int, 1: string, 2: string}
 */
function php(array $phpArgs, array $env = [], ?string $stdin = null): array
{
    $environment = getenv();
    foreach ($env as $k => $v) {
        if ($v === null) {
            unset($environment[$k]);
        } else {
            $environment[$k] = $v;
        }
    }
    $proc = proc_open(array_merge([PHP_BINARY], $phpArgs), [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
        $pipes, null, $environment);
    if (!is_resource($proc)) {
        throw new \RuntimeException('cannot start ' . PHP_BINARY);
    }
    fwrite($pipes[0], $stdin ?? '');
    fclose($pipes[0]);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    return [proc_close($proc), (string) $out, (string) $err];
}

/** The autoloader line a child process needs for src/. */
function autoloadCode(string $src = PACKAGE . '/src'): string
{
    $src = var_export(realpath($src) ?: $src, true);
    return "spl_autoload_register(function (\$c) { \$f = $src . '/' . str_replace('\\\\', '/', substr(\$c, 6)) . '.php'; if (is_file(\$f)) require \$f; });";
}

/** A scratch directory outside the checkout, removed at exit. */
function tempDir(string $name, int $mode = 0700): string
{
    $dir = sys_get_temp_dir() . '/werun-php-' . $name . '-' . bin2hex(random_bytes(4));
    mkdir($dir, $mode, true);
    chmod($dir, $mode);
    register_shutdown_function(static function () use ($dir): void {
        exec('rm -rf ' . escapeshellarg($dir));
    });
    return $dir;
}

function library(): string
{
    $lib = getenv('WERUN_LIBRARY');
    if (!is_string($lib) || !is_file($lib)) {
        throw new \RuntimeException('set WERUN_LIBRARY to target/release/libwerun.so (run-tests.sh does)');
    }
    return $lib;
}

/**
 * The package as Composer installs it, outside the checkout and readable by every user (a
 * server may preload as another user): src/, preload.php, werun.ffi.h, bin/ and the library
 * in lib/<os>-<arch>/. Returns its directory.
 */
function installedCopy(string $name): string
{
    $dir = tempDir($name, 0755);
    $copy = "$dir/vendor/werun/werun";
    mkdir("$copy/lib/" . \Werun\Ffi::platform(), 0755, true);
    exec('cp -R ' . implode(' ', array_map('escapeshellarg', [PACKAGE . '/src', PACKAGE . '/bin', PACKAGE . '/preload.php',
        PACKAGE . '/werun.ffi.h', PACKAGE . '/composer.json'])) . ' ' . escapeshellarg($copy) . ' && chmod -R a+rX ' . escapeshellarg($dir), $o, $rc);
    if ($rc !== 0 || !copy(library(), "$copy/lib/" . \Werun\Ffi::platform() . '/libwerun.so')) {
        throw new \RuntimeException("cannot copy the package to $copy");
    }
    chmod("$copy/lib/" . \Werun\Ffi::platform() . '/libwerun.so', 0755);
    return $copy;
}

/** The user a preloading server runs as: nobody when we are root, else ourselves. */
function preloadUser(): string
{
    return posix_geteuid() === 0 ? 'nobody' : (string) posix_getpwuid(posix_geteuid())['name'];
}
