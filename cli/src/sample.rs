//! The bundled sample: the first vector of the repository's tests/vectors/werun.json (a real-sized
//! 31-entry payload; tests/cli.rs checks that these constants are that vector's).

/// The `session_key` the sample was encrypted under.
pub const SESSION_KEY: &str = "nQ+Agc414E1YvlKpGyICRA==";
/// The sample's `iv`.
pub const IV: &str = "jdEK1SpSUzGX3+77gT/a2w==";
/// The appid in the sample's watermark.
pub const APPID: &str = "wx4f4bc4dec97d474b";
/// The sample's `encryptedData`.
pub const ENCRYPTED_DATA: &str =
    "dXMmb7nA3DxeEZCDA0o00c6PsqAhE6vLX4T4pKGYhi+cEsNeWp9W0NSXRY5jHW0P5I49S544wMWMcL9wx+DtInSy\
    Dem+bZ/YRsheW8xFFfX6F4TYwB9BjqE1y/dz1vXp4Kv453zVKgvl88lM4Fw2FSi2yJw6P2Kr4xJYaNymaiaceRNQ\
    zum9w+pDatL4WqcHHRsXUTlr4E1fJlRKaB06h7RFZuG7Sx3yLSQj5RWt8kKr04s7SBwPcmM8ba+BR6aocAu6Z/Ft\
    m+++HAmZTisEsT8lD5O2nc5BVwPwT6W7PuXbXOz7urAjfPwfrIHCPjX+vJZ+PwQfwfDgu2eZHBzqFi7keJmZeX8V\
    iLf48rZrQNhxKRJs/AHtEaZwrOqsooGM8gjfLwShMK9vFgBuLnCfG+4aQxO+xwgb5dCFjHkS+2xjSRkgVd+hAKsm\
    kvtKHgWwEbZjSp5W4Bm3WVe6YGKIAhU+4cslDzV9mXdYW2nL5z4dEwgRsL8cXdzmb1rfPCINVfpn83o8L8/NJjED\
    jejcQF8cLGkXjaEQyL1+pw5DMCVEZqN6W5We4VAmN1mUHAGWG3BSMFgxihzl225wtwR7qmGFKtbKCWsI/4wYylGg\
    k+H6OZji0icO796UkXsQZBifDusNTcmsY2bJZS4IQrV5CwgRFKntPqJQaMKnBBsWObzw1P8Pfm1EWL/5+ZydAv60\
    ylecHoCmug7QgpYPyd9koDlYJNbHFcVxM1OZw7HloZTDLeMtChJAw/pNb9w0z1bi+d/IDUByOeyilgyZKFS34Mnn\
    tOKE2UAeyjkGqQPrj72T2+4i3EpUiBryIbcRQYwxPKFm+xN/5+DhJzf5R6zst/KApwY8VNV8lYyhgWmlZoc7Vue2\
    KsmJ3wb37vvTeUsm4IobtflQCEanrnybEyTBrbkaeN6c79gt6PlQjua6OcUYMKoOrM4guHy2ZE2a6NILutUocyKN\
    r5id9V8a3eW34je1VZOGH+fK8OG6ZOhLkXQ3vpsWpcs6OTqaaIXRcUs/RNUKsJiQd6Jry9cOOg4p7rcaBJu7Wfy/\
    JZiCEaQsXT4+cVzYCS9ATJtMwJTjfQDoCnWZyTnDeL80YV7Yj1nXxvJ41Rhmpo+pq0u/yC/LSUdpl8uQPUYPOsbv\
    TnY73cznxYq6iEJ9acIfFob+WRs4IR5FD7rv/7bGqu0rwDScIMSsXhKMbKho1ORqcefl5eGt4hWHNKYwKFwbssiN\
    qFp8eniP9eH5XoZM6OIERz5QnSh7egqwi2T3+fgO0f9M5PSmAU7bm85cEdBe3ejBhETnMeNmEW6RXBwbGI3p9djJ\
    M5jv630rzuk8l/8Vp8FPt4IWGx09oPA9j+iPFNGajumCjTGXNm3lNab5UpPhaeLP8/p6VrjcwKiXlbCszAlEsl3k\
    bJMwxPz/IyG4hQxP0ne4/72Juhd7CeN++pNPG3KyXz2ofsHzDi8y7zkqgfHnp8FPVUqLOWBwtH4Y9t5DAqJTahzZ\
    80YglXl1vGvwLsU4OM2269Phfpm0GirBnXLJHA6nKnmx3U+u8QkPOcWswaf+DUxK/uszf6upmNoggA/uZyO4tG06\
    a/AhXm6+z742UvrDUIcOFSmLzP9BrSIW6JYamxeByKhSElqb2LrQe1oASCwMEGSelGM9DDx7Ael0uQrE";
