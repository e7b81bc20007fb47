//! Process limits of the command line: a global allocator that stops the process with a
//! clear message and exit code 1 when the memory it holds passes a limit.
//!
//! A template override can build a value of any size (`range(10000000000)`), and Rust's
//! answer to an allocation that cannot be served is to abort (exit 134, no diagnostic). With
//! this allocator the process ends as a failed build does instead: a message naming the limit
//! and how to raise it, exit code 1, and nothing written (a PDF is only ever renamed into
//! place after a complete build). The library does not install it; the binary does, and a
//! program embedding budgetdoc may too.
//!
//! This is the one module with `unsafe` code: `GlobalAlloc` is an unsafe trait. It only
//! forwards to the system allocator and keeps a count.

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The default limit: far above any document (the examples peak near 120 MB), far below
/// what a CI runner has.
pub const DEFAULT_MAX_MEMORY_MB: usize = 4096;

/// The system allocator with a limit on the bytes held at once.
pub struct CappedAllocator {
    held: AtomicUsize,
    limit: AtomicUsize,
    tripped: AtomicBool,
}

impl CappedAllocator {
    /// No limit until [`CappedAllocator::set_limit_mb`] is called.
    pub const fn new() -> Self {
        Self {
            held: AtomicUsize::new(0),
            limit: AtomicUsize::new(usize::MAX),
            tripped: AtomicBool::new(false),
        }
    }

    /// Sets the limit in MiB (0: no limit).
    pub fn set_limit_mb(&self, mb: usize) {
        let bytes = if mb == 0 {
            usize::MAX
        } else {
            mb.saturating_mul(1024 * 1024)
        };
        self.limit.store(bytes, Ordering::Relaxed);
    }

    /// Bytes held now.
    pub fn held(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }

    /// Counts `size` more bytes; past the limit the process ends (once).
    fn charge(&self, size: usize) {
        let held = self
            .held
            .fetch_add(size, Ordering::Relaxed)
            .saturating_add(size);
        let limit = self.limit.load(Ordering::Relaxed);
        if held > limit && !self.tripped.swap(true, Ordering::SeqCst) {
            stop(limit / (1024 * 1024));
        }
    }

    fn credit(&self, size: usize) {
        self.held.fetch_sub(size, Ordering::Relaxed);
    }
}

impl Default for CappedAllocator {
    fn default() -> Self {
        Self::new()
    }
}

/// Ends the process from inside the allocator: nothing here allocates, and `_exit` runs no
/// handler that could.
#[cfg(unix)]
fn stop(limit_mb: usize) -> ! {
    let mut message = [0u8; 512];
    let mut len = 0;
    let mut put = |bytes: &[u8]| {
        let n = bytes.len().min(message.len() - len);
        message[len..len + n].copy_from_slice(&bytes[..n]);
        len += n;
    };
    put(b"budgetdoc: error: this run needed more than ");
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = limit_mb;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    put(&digits[i..]);
    put(b" MB of memory, its limit; nothing was written\n  = hint: a template override that builds a huge value (a long `range`, a repeated string), or an input far larger than a department's documents, does this; fix it, or raise the limit with --max-memory MB (env BUDGETDOC_MAX_MEMORY)\n");
    // SAFETY: write(2) and _exit(2) are async-signal-safe and take plain bytes.
    unsafe {
        libc::write(2, message.as_ptr().cast(), len);
        libc::_exit(1);
    }
}

#[cfg(not(unix))]
fn stop(limit_mb: usize) -> ! {
    eprintln!(
        "budgetdoc: error: this run needed more than {limit_mb} MB of memory, its limit; nothing was written"
    );
    std::process::exit(1);
}

// SAFETY: every method forwards to `System` with the caller's arguments; the counters do not
// affect the memory handed out.
unsafe impl GlobalAlloc for CappedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.charge(layout.size());
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.charge(layout.size());
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.credit(layout.size());
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            self.charge(new_size - layout.size());
        } else {
            self.credit(layout.size() - new_size);
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
