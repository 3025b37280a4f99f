/* test_main.c - the one main() of build/unit-tests (GLib GTest).
 * Run: build/unit-tests --tap */
#include <glib.h>
#include "tests.h"

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  /* keep going after a failed assertion: every failing check is reported,
   * not only the first one */
  g_test_set_nonfatal_assertions();
  register_mptcp_option_tests();
  register_row_tests();
  register_crypto_tests();
  register_export_tests();
  register_ws_number_tests();
  register_capture_split_tests();
  return g_test_run();
}
