// The index arithmetic every kernel shares (prepended as text: kernels/kernel-code.ts).
// No entry point.

// The flat index of invocation `id` (global_invocation_id; workgroup_id with size 1u, to
// number whole workgroups) in workgroups of `size` invocations along x. runtime.ts grid()
// folds a long 1-D range into 2-D past 65,535 workgroups: rows of nwg.x workgroups.
fn flat_index(id: vec3u, nwg: vec3u, size: u32) -> u32 { return id.y * nwg.x * size + id.x; }

// The first element of row o of a tensor viewed as [outer, len, inner] along len (reduce,
// softmax): o = outer index * inner + inner index, and the row's elements follow every `inner`.
fn axis_start(o: u32, len: u32, inner: u32) -> u32 { return (o / inner) * len * inner + o % inner; }
