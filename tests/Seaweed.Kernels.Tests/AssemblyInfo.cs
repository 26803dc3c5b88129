// Every test seeds libtorch's one global generator (model initialisation has no other): tests running at the same
// time would draw from each other's stream, and fused-vs-reference pairs would see different inputs.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
