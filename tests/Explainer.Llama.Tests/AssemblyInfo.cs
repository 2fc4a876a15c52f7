// The tests measure latency and resident memory; running classes in parallel on 2 cores would make both meaningless.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
