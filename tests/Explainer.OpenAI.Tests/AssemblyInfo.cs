// Each class starts llama-servers on one thread; running them side by side on 2 cores only makes every one slower.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
