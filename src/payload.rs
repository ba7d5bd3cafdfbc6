//! The shape of WeChat open data: a JSON object with a `watermark`, and for WeRun a
//! `stepInfoList` of `{timestamp, step}` objects.

use crate::json::{JsonStr, Malformed, Parser, Result};
use crate::StepInfo;

/// `watermark` as found in the plaintext.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawWatermark<'a> {
    pub(crate) timestamp: i64,
    pub(crate) appid: JsonStr<'a>,
}

/// A WeRun document: how many entries `stepInfoList` holds (the first `out.len()` of them are
/// written to `out`) and its watermark, if any.
pub(crate) fn parse_werun<'a>(
    text: &'a [u8],
    out: &mut [StepInfo],
) -> Result<(usize, Option<RawWatermark<'a>>)> {
    let mut total = 0usize;
    let watermark = parse_document(text, Some((out, &mut total)))?;
    Ok((total, watermark))
}

/// Any open-data document (an object, possibly with a `watermark`).
pub(crate) fn parse_open_data(text: &[u8]) -> Result<Option<RawWatermark<'_>>> {
    parse_document(text, None)
}

type StepSink<'o, 't> = (&'o mut [StepInfo], &'t mut usize);

fn parse_document<'a>(
    text: &'a [u8],
    mut steps: Option<StepSink<'_, '_>>,
) -> Result<Option<RawWatermark<'a>>> {
    let mut parser = Parser::new(text);
    let mut watermark = None;
    let mut seen_steps = false;
    parser.object(|key, p| {
        if key.equals(b"watermark") {
            once(&mut watermark, parse_watermark(p)?)
        } else if let Some((out, total)) = steps.as_mut().filter(|_| key.equals(b"stepInfoList")) {
            if seen_steps {
                return Err(Malformed);
            }
            seen_steps = true;
            p.array(|p| {
                let step = parse_step(p)?;
                if let Some(slot) = out.get_mut(**total) {
                    *slot = step;
                }
                **total = total.checked_add(1).ok_or(Malformed)?;
                Ok(())
            })
        } else {
            p.skip_value()
        }
    })?;
    parser.end()?;
    if steps.is_some() && !seen_steps {
        return Err(Malformed);
    }
    Ok(watermark)
}

/// Stores the value of a key that must appear at most once.
fn once<T>(slot: &mut Option<T>, value: T) -> Result<()> {
    if slot.is_some() {
        return Err(Malformed);
    }
    *slot = Some(value);
    Ok(())
}

fn parse_step(p: &mut Parser<'_>) -> Result<StepInfo> {
    let mut timestamp = None;
    let mut step = None;
    p.object(|key, p| {
        if key.equals(b"timestamp") {
            once(&mut timestamp, p.int()?)
        } else if key.equals(b"step") {
            once(&mut step, u32::try_from(p.int()?).map_err(|_| Malformed)?)
        } else {
            p.skip_value()
        }
    })?;
    Ok(StepInfo {
        timestamp: timestamp.ok_or(Malformed)?,
        step: step.ok_or(Malformed)?,
    })
}

fn parse_watermark<'a>(p: &mut Parser<'a>) -> Result<RawWatermark<'a>> {
    let mut timestamp = None;
    let mut appid = None;
    p.object(|key, p| {
        if key.equals(b"timestamp") {
            once(&mut timestamp, p.int()?)
        } else if key.equals(b"appid") {
            once(&mut appid, p.string()?)
        } else {
            p.skip_value()
        }
    })?;
    Ok(RawWatermark {
        timestamp: timestamp.ok_or(Malformed)?,
        appid: appid.ok_or(Malformed)?,
    })
}
