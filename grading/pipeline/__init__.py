"""Autograding, one small step per module, composed like nbgrader's preprocessors.

    collect  find each student's submission and fingerprint it
    check    read it, detect tampering, restore locked cells and cell roles (nbgrader's sanitize)
    sandbox  the bubblewrap jail and resource limits student code runs under
    cgroup   memory and process limits for each sandbox as a whole (one cgroup per slot)
    kernel   a Jupyter kernel manager that starts its kernel inside that jail
    execute  run the notebook with papermill, every cell, each one time-limited
    guard    before each test cell, put back what student code replaced (np.allclose, ...)
    score    turn executed cells into points with nbgrader's own rules
    record   the single writer: gradebook, autograded notebooks, ledger
    late     late submission penalties, by nbgrader's configured plugin (for record)
    ledger   the on-disk progress of each submission, so a killed run resumes
    worker   one long-lived process per slot that executes its submissions in turn
    slot_locks  sandbox uids claimed from the machine, so that no two runs share one
    runner   runs all of the above for a class, N submissions at a time

On a Dask cluster (`course autograde --cluster`), the runner's pool is `cluster`: each job
travels as bytes (`parcel`) to a Dask worker, which executes it there (`cluster_task`). Both
pools take the same `job`, and `execute` and `score` name cells alike (`cell_labels`).

Only the worker process imports `execute`, which runs notebooks with papermill: the runner,
the verbs and the other steps never do (`check` asks papermill one thing, and only for a
notebook with parameters: whether it can write them in the kernel's language).
"""
