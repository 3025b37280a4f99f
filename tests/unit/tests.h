/* tests.h - registration functions of the unit test files; test_main.c
 * calls each one. */
#ifndef UNIT_TESTS_H
#define UNIT_TESTS_H
void register_mptcp_option_tests(void);
void register_row_tests(void);
void register_crypto_tests(void);
void register_export_tests(void);
void register_ws_number_tests(void);
void register_capture_split_tests(void);
#endif
