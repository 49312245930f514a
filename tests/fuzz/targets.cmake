# The fuzz targets: tests/fuzz/fuzz_NAME.cpp each, seeds in tests/fuzz/corpus/NAME.
set(L0_FUZZ_TARGETS http_request openai_request anthropic_request sse_stream rule_pack normalize safety_scan
    replay_csv node_config)
