"""Leave out the scikit-learn checks that cannot run here, instead of letting them skip.

`check_array_api_input` needs scipy's array-API mode (`SCIPY_ARRAY_API=1` before scipy is
imported) and the `*_data_not_an_array` checks need pandas, which the project does not use.
"""

NOT_APPLICABLE = ("check_array_api_input", "check_classifier_data_not_an_array",
                  "check_regressor_data_not_an_array")


def pytest_collection_modifyitems(config, items):
    kept = [item for item in items if not any(name in item.nodeid for name in NOT_APPLICABLE)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
