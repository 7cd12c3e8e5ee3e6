//! The kiosk: a self-contained touch-screen site under `kiosk/` with Vietnamese search
//! (issue #5).

use crate::error::Error;
use crate::render::Ctx;
use crate::write::OutputFile;

pub fn render(_ctx: &Ctx<'_>) -> Result<Vec<OutputFile>, Error> {
    Ok(Vec::new())
}
