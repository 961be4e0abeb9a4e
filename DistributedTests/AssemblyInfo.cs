// The silo processes and the TestingHost silos take several cores each while they start: one test class at a time
// keeps this assembly from starving the others' tests that run beside it (signals, memory budgets).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
