//! The raw exports. The only unsafe code of the browser module: turning the caller's
//! (address, length) pairs back into the buffers [`alloc`] handed out.
#![allow(unsafe_code)]

use serde_json::Value;

/// A buffer of `len` bytes for the caller to fill.
#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buf = Vec::<u8>::with_capacity(len.max(1));
    let ptr = buf.as_mut_ptr();
    std::mem::forget(buf);
    ptr
}

/// Frees a buffer from [`alloc`] or an output.
///
/// # Safety
/// `ptr` and `len` must be exactly a buffer this module handed out and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn dealloc(ptr: *mut u8, len: usize) {
    drop(Vec::from_raw_parts(ptr, 0, len.max(1)));
}

/// Reads the input the caller wrote into an [`alloc`] buffer, frees it, runs `f` and returns
/// the output packed as `(ptr << 32) | len`.
unsafe fn call(ptr: *mut u8, len: usize, f: fn(&[u8]) -> Value) -> u64 {
    let input = Vec::from_raw_parts(ptr, len, len.max(1));
    let output = serde_json::to_vec(&f(&input)).expect("JSON values serialise");
    drop(input);
    let mut output = output.into_boxed_slice().into_vec();
    output.shrink_to_fit();
    let (out_ptr, out_len) = (output.as_mut_ptr(), output.len());
    // The capacity equals the length after shrinking: `dealloc(ptr, len)` frees it.
    std::mem::forget(output);
    ((out_ptr as u64) << 32) | out_len as u64
}

/// # Safety
/// `ptr`/`len`: an [`alloc`] buffer holding the input JSON, which this call frees.
#[no_mangle]
pub unsafe extern "C" fn ballot_create(ptr: *mut u8, len: usize) -> u64 {
    call(ptr, len, crate::create_ballot)
}

/// # Safety
/// As [`ballot_create`].
#[no_mangle]
pub unsafe extern "C" fn ballot_verify(ptr: *mut u8, len: usize) -> u64 {
    call(ptr, len, crate::verify_ballot)
}

/// # Safety
/// As [`ballot_create`].
#[no_mangle]
pub unsafe extern "C" fn voter_key(ptr: *mut u8, len: usize) -> u64 {
    call(ptr, len, crate::new_voter_key)
}
