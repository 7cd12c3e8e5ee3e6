//! Many offices from one content tree (issue #15): `provinces/<id>.yaml` and
//! `offices/<id>.yaml`, read in `read.rs`, checked against the guides and applied in
//! `layer.rs`.
//!
//! The layers are explicit: the national guide, then its province's overrides (fee and
//! processing-time texts, extra allowed QR hosts, the province's hotline), then the
//! office (its contacts, the guides and categories it does not handle, its own guides, local
//! notes). [`crate::content::Content::for_office`] gives the content of one office, which
//! renders like a site without offices. A content folder without `offices/` has no offices
//! and works exactly as before.

pub(crate) mod layer;
mod read;

use crate::content::config::Office;
use crate::error::Pos;

pub use layer::check;
pub use read::load;

/// The folder of the office files.
pub const OFFICES_DIR: &str = "offices";
/// The folder of the province files.
pub const PROVINCES_DIR: &str = "provinces";

/// A province (`provinces/<id>.yaml`): what its offices share.
#[derive(Debug, Clone, Default)]
pub struct Province {
    pub id: String,
    pub file: String,
    pub name: String,
    /// The province's own help line, shown next to each office's contacts.
    pub hotline: Option<String>,
    /// Hosts allowed for QR codes in this province (e.g. the province's portal), added to
    /// `site.yaml`'s `portal.allowed_hosts`.
    pub allowed_hosts: Vec<String>,
    /// Per guide: the texts the province sets (`guides:`).
    pub overrides: Vec<Override>,
}

/// A province's texts for one guide (fees are set by each province's People's Council).
#[derive(Debug, Clone, Default)]
pub struct Override {
    pub slug: String,
    pub pos: Pos,
    pub fee: Option<String>,
    pub processing_time: Option<String>,
}

/// An office (`offices/<id>.yaml`): one ward's or commune's site.
#[derive(Debug, Clone, Default)]
pub struct OfficeSite {
    /// The file name without `.yaml`: the folder of its site (`public/<id>/`).
    pub id: String,
    pub file: String,
    /// Its province's id, and where it is written.
    pub province: String,
    pub province_pos: Pos,
    /// Contacts, as `office:` of `site.yaml` (its `province` is the province's name).
    pub office: Office,
    /// Guides (by slug) or categories (by id) this office does not handle.
    pub skip: Vec<(String, Pos)>,
    /// Guides of this office only: a guide named here is served by the offices that
    /// name it and by no other.
    pub extra: Vec<(String, Pos)>,
    /// Notes added to a guide's page and leaflet: (slug, position, text).
    pub notes: Vec<(String, Pos, String)>,
}

/// The provinces and offices of a content folder (both empty without `offices/`).
#[derive(Debug, Clone, Default)]
pub struct Offices {
    /// Sorted by id.
    pub provinces: Vec<Province>,
    /// Sorted by id.
    pub offices: Vec<OfficeSite>,
}

impl Offices {
    pub fn is_empty(&self) -> bool {
        self.offices.is_empty()
    }

    pub fn office(&self, id: &str) -> Option<&OfficeSite> {
        self.offices.iter().find(|o| o.id == id)
    }

    pub fn province(&self, id: &str) -> Option<&Province> {
        self.provinces.iter().find(|p| p.id == id)
    }

    /// Every host some province allows (to check guides once for all offices).
    pub fn all_hosts(&self) -> impl Iterator<Item = &String> {
        self.provinces.iter().flat_map(|p| &p.allowed_hosts)
    }

    /// Whether `slug` is some office's own guide.
    pub fn is_local(&self, slug: &str) -> bool {
        self.offices
            .iter()
            .any(|o| o.extra.iter().any(|(s, _)| s == slug))
    }
}
