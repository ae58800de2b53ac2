//! RFC 6962 Merkle tree, proofs, signed notes and checkpoints (in progress).
#![forbid(unsafe_code)]
