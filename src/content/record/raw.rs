//! The portal's record JSON as it comes (the only place that knows its field names). Every
//! field is optional and unknown fields are ignored: records saved at different times carry
//! different sets of fields.

use serde::Deserialize;

/// The portal's answer: `{"code": "OK", "data": {…}, "message": "OK"}`, or the record
/// itself when a file holds only `data`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Envelope {
    pub data: Option<RawRecord>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RawRecord {
    /// The formalityId (the portal page's id).
    pub id: Option<String>,
    pub code: Option<String>,
    pub name: Option<String>,
    pub state: Option<String>,
    pub is_full_process: Option<bool>,
    pub execution_methods: Vec<RawMethod>,
    pub execution_cases: Vec<RawCase>,
    pub cases: Vec<RawSubCase>,
    pub legal_basises_details: Vec<RawNamed>,
    pub results_details: Vec<RawNamed>,
    pub unit_groups_executing: Vec<RawNamed>,
    pub departments_executing: Vec<RawNamed>,
    pub procedure_proposal: Option<RawProposal>,
    pub created_at: Option<f64>,
    pub updated_at: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RawMethod {
    pub submission_method: Option<String>,
    pub processing_time: Option<f64>,
    pub processing_time_unit: Option<String>,
    pub description: Option<String>,
    pub fees: Vec<RawFee>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RawFee {
    pub value: Option<f64>,
    pub currency_name: Option<String>,
    pub description: Option<String>,
}

/// A heading (`* Giấy tờ phải nộp:`) with its components (documents and notes mixed).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RawCase {
    pub name: Option<String>,
    pub profile_components: Vec<RawComponent>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RawComponent {
    pub name: Option<String>,
    pub original_qty: Option<f64>,
    pub copy_qty: Option<f64>,
    /// Not trusted: `false` even for essential papers.
    pub required: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RawSubCase {
    pub name: Option<String>,
    pub processing_day: Option<RawDays>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawDays {
    pub qty: Option<f64>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawNamed {
    pub code: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RawProposal {
    pub proposal_number: Option<String>,
    pub decision_date: Option<f64>,
    pub publication_date: Option<f64>,
}
