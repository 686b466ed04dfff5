//! Lab tooling over the product crates, kept out of them: `gatewatch bench` (throughput,
//! memory and the scrubber's adversarial figures, on generated traffic) and `gatewatch evaluate`
//! (precision and recall of the detector on the generator's labelled scenarios). The binary
//! only parses their flags and calls in here.

pub mod bench;
pub mod evaluate;
