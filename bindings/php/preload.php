<?php

// werun's preload script, for PHP-FPM (and any SAPI with opcache): in php.ini,
//
//     opcache.enable=1
//     opcache.preload=/path/to/vendor/werun/werun/preload.php
//     opcache.preload_user=www-data        ; the pool's user (required when started as root)
//     ; ffi.enable=preload                 ; the default: FFI only in preloaded code
//
// It compiles the package's classes into the server (so their FFI calls are allowed under
// ffi.enable=preload) and declares libwerun once, as the FFI scope "WERUN", for every request.
// The library is found as at run time (WERUN_LIBRARY in the environment of the server's
// start, else the package's lib/<os>-<arch>/libwerun.so); a problem stops the server's start
// with a message that says how to fix it. After updating the package, restart PHP-FPM.

declare(strict_types=1);

(static function (): void {
    // Dependencies first: the enums and exceptions' base before the classes that use them.
    $order = ['Abi', 'LoadException', 'Ffi', 'Status', 'Diagnosis', 'WerunException'];
    foreach ($order as $class) {
        require_once __DIR__ . "/src/$class.php";
    }
    foreach (glob(__DIR__ . '/src/*.php') ?: [] as $file) {
        require_once $file;
    }
    \Werun\Ffi::preload();
})();
