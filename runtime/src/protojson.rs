//! protojson, the JSON form of protobuf messages that grpc-gateway servers
//! speak: 64-bit integers travel as strings (numbers are accepted too),
//! enums as names, and zero values may be left out, so absent properties
//! read as zero and zero values are not sent.

/// Decodes a response body: what every operation does with a JSON success
/// body, straight from the received bytes with no intermediate tree or
/// copy. Public so that it can be measured and reused.
pub fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(body)
}
