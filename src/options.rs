//! What the caller expects of a payload: whose appid, how fresh, how strict the base64.

use crate::base64::Base64Mode;
use crate::payload::RawWatermark;
use crate::{Error, Watermark};

/// A freshness requirement: the watermark must be at most `max_age` seconds older than `now`
/// and not later than `now` (there is no clock in `no_std`, so the caller supplies it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Freshness {
    /// The current time, in Unix seconds.
    pub now: i64,
    /// The largest accepted age of the watermark, in seconds.
    pub max_age: u64,
}

/// How a payload is checked. There is no `Default`: the caller either names the expected appid
/// ([`Options::expect_appid`]) or skips that check explicitly ([`Options::skip_appid_check`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Options<'a> {
    appid: Option<&'a [u8]>,
    freshness: Option<Freshness>,
    base64: Base64Mode,
}

impl<'a> Options<'a> {
    /// Accept only payloads whose `watermark.appid` equals `appid` (exactly, after JSON
    /// unescaping). A payload without a watermark is refused with [`Error::AppIdMismatch`].
    #[must_use]
    pub const fn expect_appid(appid: &'a str) -> Self {
        Self::expect_appid_bytes(appid.as_bytes())
    }

    /// [`Options::expect_appid`] for an appid given as bytes (as the C ABI does).
    #[must_use]
    pub const fn expect_appid_bytes(appid: &'a [u8]) -> Self {
        Options {
            appid: Some(appid),
            freshness: None,
            base64: Base64Mode::Repair,
        }
    }

    /// Do not check the appid. Only then is a payload without a watermark accepted (for example
    /// the example in WeChat's documentation). Real payloads carry one: prefer
    /// [`Options::expect_appid`].
    #[must_use]
    pub const fn skip_appid_check() -> Self {
        Options {
            appid: None,
            freshness: None,
            base64: Base64Mode::Repair,
        }
    }

    /// Also require the watermark to be at most `max_age` seconds old at `now` (Unix seconds),
    /// and not in the future. A stale, future or missing watermark is then
    /// [`Error::WatermarkExpired`].
    #[must_use]
    pub const fn max_age(mut self, now: i64, max_age: u64) -> Self {
        self.freshness = Some(Freshness { now, max_age });
        self
    }

    /// Read `encryptedData` with this base64 mode (default: [`Base64Mode::Repair`]).
    #[must_use]
    pub const fn base64(mut self, mode: Base64Mode) -> Self {
        self.base64 = mode;
        self
    }

    /// The expected appid, or `None` when the check is skipped.
    #[must_use]
    pub const fn appid(&self) -> Option<&'a [u8]> {
        self.appid
    }

    /// The freshness requirement, if any.
    #[must_use]
    pub const fn freshness(&self) -> Option<Freshness> {
        self.freshness
    }

    /// The base64 mode for `encryptedData`.
    #[must_use]
    pub const fn base64_mode(&self) -> Base64Mode {
        self.base64
    }

    /// Checks the watermark against the appid and freshness requirements.
    pub(crate) fn verify(
        &self,
        watermark: Option<RawWatermark<'_>>,
    ) -> Result<Option<Watermark>, Error> {
        if let Some(expected) = self.appid {
            match watermark {
                Some(w) if w.appid.equals(expected) => {}
                _ => return Err(Error::AppIdMismatch),
            }
        }
        if let Some(Freshness { now, max_age }) = self.freshness {
            let timestamp = watermark.ok_or(Error::WatermarkExpired)?.timestamp;
            let fresh = now
                .checked_sub(timestamp)
                .and_then(|age| u64::try_from(age).ok())
                .is_some_and(|age| age <= max_age);
            if !fresh {
                return Err(Error::WatermarkExpired);
            }
        }
        Ok(watermark.map(|w| Watermark {
            timestamp: w.timestamp,
        }))
    }
}
