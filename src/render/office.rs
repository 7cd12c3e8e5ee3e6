//! An office's parts in pages rendered without it (see [`crate::render::context`]): each
//! mark `office(name=…)` left is replaced with `office/<name>.html`, rendered once per
//! office and root.

use std::sync::Arc;

use crate::error::Error;
use crate::render::context::{Ctx, Html, tmpl_err};
use crate::render::theme::{PART_CLOSE, PART_OPEN};

impl Ctx<'_> {
    /// `html`, rendered from `template` at `root`, with each office part's mark replaced
    /// by the part. `calls`, when it was just rendered: how many parts the template
    /// printed, which must be how many marks it holds (a part used in a test or a filter
    /// would be wrong once put in).
    pub fn finish(
        &self,
        template: &str,
        root: &str,
        html: Html,
        calls: Option<usize>,
    ) -> Result<Html, Error> {
        let mut open = [0u8; 4];
        let open: &str = PART_OPEN.encode_utf8(&mut open);
        let marks = memchr::memmem::find_iter(html.as_bytes(), open.as_bytes()).count();
        if calls.is_some_and(|n| n != marks) {
            return Err(tmpl_err(&tera::Error::msg(format!(
                "{template}: office(name=…) is the office's part, put in after the page is rendered: print it as it is, {{{{ office(name=\"contact\") }}}}, not in a test, a filter or a variable"
            ))));
        }
        if marks == 0 {
            return Ok(html);
        }
        let mut out = String::with_capacity(html.len() + marks * 2048);
        let mut rest: &str = &html;
        while let Some(i) = rest.find(PART_OPEN) {
            out.push_str(&rest[..i]);
            let after = &rest[i + PART_OPEN.len_utf8()..];
            let (name, tail) = after.split_once(PART_CLOSE).unwrap_or((after, ""));
            out.push_str(&self.part(name, root)?);
            rest = tail;
        }
        out.push_str(rest);
        Ok(Html::Owned(out))
    }

    /// The office's part `name` at `root`: `office/<name>.html`, rendered once per render.
    fn part(&self, name: &str, root: &str) -> Result<Arc<str>, Error> {
        let key = (name.to_string(), root.to_string());
        if let Some(p) = self.parts.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(p);
        }
        let template = format!("office/{name}.html");
        let mut tc = self.base.clone();
        tc.insert("root", root);
        let (html, calls) = self
            .theme
            .render(&template, &tc)
            .map_err(|e| tmpl_err(&e))?;
        if calls > 0 {
            return Err(tmpl_err(&tera::Error::msg(format!(
                "{template}: an office part cannot print office(…)"
            ))));
        }
        let html: Arc<str> = Arc::from(html);
        if let Ok(mut m) = self.parts.lock() {
            m.insert(key, html.clone());
        }
        Ok(html)
    }
}
