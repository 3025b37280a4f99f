/* complete.c - candidates for the word being completed in bash, from the
 * command table (commands, their options and arguments), the global
 * options, and the cache (stream ids of a capture loaded before). */
#include "complete.h"
#include "cache.h"
#include "commands.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The global options of main.c ("--help" lists them); value: what the
 * option takes, NULL for a flag. -j: parallel dissection (load.h). */
static const struct { const char *name, *value; } global_opts[] = {
  { "--json", NULL }, { "-q", NULL }, { "--quiet", NULL }, { "-f", "FILE" },
  { "--no-cache", NULL }, { "--cache-dir", "DIR" }, { "--stats", NULL },
  { "--version", NULL }, { "-h", NULL }, { "--help", NULL }, { "-j", "N" },
  { NULL, NULL },
};

typedef struct {
  GPtrArray *words;        /* char*, "OPT" "=" "VALUE" joined as one */
  guint cur_i;             /* index of the word being completed */
  const char *cur;         /* its text */
  const char *prefix;      /* printed before each candidate */
  const char *cache_dir;   /* --cache-dir given on the line */
  gboolean no_cache;
} Ctx;

static void offer(const Ctx *x, const char *cand, const char *typed)
{
  if (g_str_has_prefix(cand, typed))
    printf("%s%s\n", x->prefix, cand);
}

/* Bash splits "--window=5" into "--window" "=" "5"; join them again. */
static void take_words(Ctx *x, int n, char **w, int cword)
{
  x->words = g_ptr_array_new_with_free_func(g_free);
  x->cur_i = 0;
  for (int i = 0; i < n || i <= cword; i++) {
    const char *word = i < n ? w[i] : "";
    guint last = x->words->len - 1;
    const char *prev = x->words->len ? g_ptr_array_index(x->words, last) : "";
    if (i > 0 && i < n && strcmp(word, "=") == 0 && prev[0] == '-' &&
        !strchr(prev, '=')) {
      const char *val = (i + 1 < n && i + 1 <= cword) ? w[i + 1] : "";
      g_ptr_array_index(x->words, last) = g_strconcat(prev, "=", val, NULL);
      g_free((char *)prev);
      if (i == cword || i + 1 == cword)
        x->cur_i = last;
      if (i + 1 < n && i + 1 <= cword)
        i++;                           /* the value was taken, even "" */
      continue;
    }
    if (i == cword)
      x->cur_i = x->words->len;
    g_ptr_array_add(x->words, g_strdup(word));
    if (i >= n)
      break;
  }
}

static const char *word(const Ctx *x, guint i)
{
  return g_ptr_array_index(x->words, i);
}

static gboolean is_option(const char *w)
{
  return w[0] == '-' && w[1] && !g_ascii_isdigit(w[1]);
}

/* --- stream ids, from the cache only ------------------------------------ */

static Capture *cached_capture(const Ctx *x, const char *path)
{
  Tshark ts;
  CacheEntry e;
  gboolean corrupt = FALSE;
  Capture *c = NULL;
  if (x->no_cache || !g_file_test(path, G_FILE_TEST_IS_REGULAR) ||
      !tshark_locate(&ts, NULL))
    return NULL;
  char *dir = x->cache_dir ? g_strdup(x->cache_dir) : cache_default_dir();
  if (cache_entry_init(&e, dir, path, &ts, NULL)) {
    c = cache_read(&e, path, &corrupt);
    cache_entry_clear(&e);
  }
  if (c)
    capture_finish(c);
  g_free(dir);
  tshark_clear(&ts);
  return c;
}

static void offer_ids(const Ctx *x, const char *capture, gboolean mptcp)
{
  Capture *c = capture ? cached_capture(x, capture) : NULL;
  GPtrArray *list = !c ? NULL : mptcp ? c->mptcp : c->tcp;
  char buf[16];
  for (guint i = 0; list && i < list->len; i++) {
    gpointer item = g_ptr_array_index(list, i);
    g_snprintf(buf, sizeof buf, "%u", mptcp ? ((MptcpConn *)item)->id
                                            : ((TcpConn *)item)->stream);
    offer(x, buf, x->cur);
  }
  capture_free(c);
}

/* --- what a word stands for ------------------------------------------------ */

static void offer_commands(const Ctx *x)
{
  for (const Command *c = command_table; c->name; c++)
    offer(x, c->name, x->cur);
}

/* The value of option opt, whose placeholder is value ("csv|jsonl",
 * "FILE", "N"...); capture: the command's capture, or NULL. */
static void offer_value(const Ctx *x, const char *opt, const char *value,
                        const char *capture)
{
  if (strchr(value, '|')) {
    char **choices = g_strsplit(value, "|", -1);
    for (char **ch = choices; *ch; ch++)
      offer(x, *ch, x->cur);
    g_strfreev(choices);
  } else if (strstr(opt, "mptcp-stream")) {
    offer_ids(x, capture, TRUE);
  } else if (strstr(opt, "tcp-stream")) {
    offer_ids(x, capture, FALSE);
  } else if (strcmp(value, "DIR") == 0) {
    puts("@dirs");
  } else if (g_str_has_prefix(value, "CAPTURE")) {
    puts("@captures");
  } else if (strstr(value, "FILE")) {
    puts("@files");
  }
}

/* The spec entry of a command option ("--format=csv|jsonl"), or NULL. */
static char *option_spec(const Command *c, const char *name)
{
  gsize len = strcspn(name, "=");
  char **opts = g_strsplit(c->options, " ", -1);
  char *found = NULL;
  for (char **o = opts; *o && !found; o++)
    if (**o && strcspn(*o, "=") == len && strncmp(*o, name, len) == 0)
      found = g_strdup(*o);
  g_strfreev(opts);
  return found;
}

static void offer_command_options(const Ctx *x, const Command *c)
{
  char **opts = g_strsplit(c->options, " ", -1);
  for (char **o = opts; *o; o++) {
    if (!**o)
      continue;
    char *name = g_strndup(*o, strcspn(*o, "="));
    offer(x, name, x->cur);
    g_free(name);
  }
  g_strfreev(opts);
  if (c->flags & CMD_JSON)
    offer(x, "--json", x->cur);
  if (c->flags & CMD_FULL)
    offer(x, "--full", x->cur);
}

/* The argument names of a command ("KIND", "CAPTURE", "MPTCP_STREAM"...),
 * brackets and dots removed. */
static char **arg_names(const Command *c, gboolean *variadic)
{
  char **names = g_strsplit(c->args, " ", -1);
  *variadic = strstr(c->args, "...") != NULL;
  for (char **n = names; *n; n++)
    g_strdelimit(*n, "[].", ' '), g_strstrip(*n);
  return names;
}

static gboolean line_has(const Ctx *x, const char *w)
{
  for (guint i = 0; i < x->words->len; i++)
    if (i != x->cur_i && strcmp(word(x, i), w) == 0)
      return TRUE;
  return FALSE;
}

/* Positional argument number k (pos holds those before it). */
static void offer_positional(const Ctx *x, const Command *c, GPtrArray *pos)
{
  guint k = pos->len;
  const char *capture = NULL;
  gboolean variadic;
  if (c->flags & CMD_CAPTURE) {
    if (k == 0) {
      puts("@captures");           /* a capture, else the loaded one's ids */
      return;
    }
    if (g_file_test(g_ptr_array_index(pos, 0), G_FILE_TEST_IS_REGULAR)) {
      capture = g_ptr_array_index(pos, 0);
      k--;
    }
  }
  char **names = arg_names(c, &variadic);
  guint n = g_strv_length(names);
  const char *name = k < n ? names[k] : (variadic && n ? names[n - 1] : "");
  if (strstr(name, "MPTCP_STREAM"))
    offer_ids(x, capture, TRUE);
  else if (strstr(name, "TCP_STREAM"))
    offer_ids(x, capture, FALSE);
  else if (strstr(name, "STREAM"))
    offer_ids(x, capture, !line_has(x, "--tcp"));
  else if (g_str_has_prefix(name, "CAPTURE"))
    puts("@captures");
  else if (strcmp(name, "COMMAND") == 0)
    offer_commands(x);
  g_strfreev(names);
}

/* The words after command c (at index i) up to the current one. */
static void complete_command(Ctx *x, const Command *c, guint i)
{
  GPtrArray *pos = g_ptr_array_new();
  gboolean opts_done = FALSE;
  char *pending = NULL;              /* option whose value is being typed */
  for (guint j = i + 1; j < x->cur_i; j++) {
    const char *w = word(x, j);
    char *spec;
    if (!opts_done && strcmp(w, "--") == 0)
      opts_done = TRUE;
    else if (!opts_done && is_option(w)) {
      if ((spec = option_spec(c, w)) && strchr(spec, '=') && !strchr(w, '=')) {
        if (j + 1 == x->cur_i)
          pending = g_strdup(spec);
        j++;
      }
      g_free(spec);
    } else {
      g_ptr_array_add(pos, (gpointer)w);
    }
  }
  const char *capture = (c->flags & CMD_CAPTURE) && pos->len &&
    g_file_test(g_ptr_array_index(pos, 0), G_FILE_TEST_IS_REGULAR)
    ? g_ptr_array_index(pos, 0) : NULL;
  char *spec = NULL;
  if (pending) {
    offer_value(x, pending, strchr(pending, '=') + 1, capture);
  } else if (!opts_done && is_option(x->cur) && strchr(x->cur, '=') &&
             (spec = option_spec(c, x->cur)) && strchr(spec, '=')) {
    const char *typed = strchr(x->cur, '=') + 1;
    Ctx v = *x;
    v.cur = typed;
    offer_value(&v, spec, strchr(spec, '=') + 1, capture);
  } else if (!opts_done && x->cur[0] == '-') {
    offer_command_options(x, c);
  } else {
    offer_positional(x, c, pos);
  }
  g_free(spec);
  g_free(pending);
  g_ptr_array_free(pos, TRUE);
}

static int global_index(const char *w)
{
  gsize len = strcspn(w, "=");
  for (int g = 0; global_opts[g].name; g++)
    if (strlen(global_opts[g].name) == len &&
        strncmp(global_opts[g].name, w, len) == 0)
      return g;
  return -1;
}

static void offer_global_value(const Ctx *x, int g)
{
  if (g >= 0 && global_opts[g].value)
    offer_value(x, global_opts[g].name, global_opts[g].value, NULL);
}

/* Global options, then the command; returns the command's index. */
static guint skip_globals(Ctx *x, gboolean *value_pending, int *pending_g)
{
  guint i = 1;
  *value_pending = FALSE;
  while (i < x->cur_i && is_option(word(x, i))) {
    const char *w = word(x, i);
    int g = global_index(w);
    if (strcmp(w, "--") == 0)
      return i + 1;
    if (g >= 0 && strcmp(global_opts[g].name, "--no-cache") == 0)
      x->no_cache = TRUE;
    if (g >= 0 && global_opts[g].value && !strchr(w, '=')) {
      if (i + 1 == x->cur_i) {
        *value_pending = TRUE;
        *pending_g = g;
        return x->cur_i;
      }
      if (strcmp(global_opts[g].name, "--cache-dir") == 0)
        x->cache_dir = word(x, i + 1);
      i++;
    } else if (g >= 0 && strcmp(global_opts[g].name, "--cache-dir") == 0) {
      x->cache_dir = strchr(w, '=') + 1;
    }
    i++;
  }
  return i;
}

static void complete_line(Ctx *x)
{
  gboolean pending;
  int g = -1;
  guint i = skip_globals(x, &pending, &g);
  if (pending) {
    offer_global_value(x, g);
  } else if (i < x->cur_i) {
    const Command *c = command_find(word(x, i));
    if (c)
      complete_command(x, c, i);
    else
      puts("@files");              /* "COMMAND LINE" arguments: anything */
  } else if (x->cur[0] == '-' && strchr(x->cur, '=')) {
    Ctx v = *x;
    v.cur = strchr(x->cur, '=') + 1;
    offer_global_value(&v, global_index(x->cur));
  } else if (x->cur[0] == '-') {
    for (int k = 0; global_opts[k].name; k++)
      offer(x, global_opts[k].name, x->cur);
  } else {
    offer_commands(x);
  }
}

int complete_run(int argc, char **argv)
{
  char *end;
  if (argc < 2)
    return 0;
  long cword = strtol(argv[0], &end, 10);
  if (*end || cword < 1 || cword > argc - 1)
    return 0;
  Ctx x = { .prefix = "" };
  take_words(&x, argc - 1, argv + 1, (int)cword);
  x.cur = word(&x, x.cur_i);
  /* without '=' among bash's word breaks the word is "--opt=val": the
   * candidates then replace all of it */
  const char *raw = cword + 1 < argc ? argv[cword + 1] : "";
  char *prefix = NULL;
  if (is_option(raw) && strchr(raw, '='))
    x.prefix = prefix = g_strndup(raw, strcspn(raw, "=") + 1);
  complete_line(&x);
  g_free(prefix);
  g_ptr_array_free(x.words, TRUE);
  return 0;
}
