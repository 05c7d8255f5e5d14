//go:build ignore

/*
 * The structures Fluent Bit shares with a Go output plugin, mirrored from:
 *   - fluent/fluent-bit include/fluent-bit/flb_plugin_proxy.h
 *       struct flb_plugin_proxy_def, struct flb_plugin_proxy_context
 *   - fluent/fluent-bit include/fluent-bit/flb_api.h
 *       struct flb_api (output_get_property first)
 *   - fluent/fluent-bit src/proxy/go/go.h
 *       struct flbgo_output_plugin (name, api, o_ins, context, callbacks)
 *   - fluent/fluent-bit-go output/flb_output.h + output/flb_plugin.h
 *       the plugin's view: { void *_; struct flb_api *api;
 *       struct flb_output_instance *o_ins; struct flb_plugin_proxy_context
 *       *context; } and FLB_ERROR 0 / FLB_OK 1 / FLB_RETRY 2,
 *       FLB_PROXY_OUTPUT_PLUGIN 2, FLB_PROXY_GOLANG 11.
 * The plugin only touches the leading fields, so the two views agree.
 */
#ifndef FLBHOST_H
#define FLBHOST_H

#include <stddef.h>

#define FLB_ERROR 0
#define FLB_OK    1
#define FLB_RETRY 2

#define FLB_PROXY_INPUT_PLUGIN  1
#define FLB_PROXY_OUTPUT_PLUGIN 2
#define FLB_PROXY_GOLANG        11

/* flb_plugin_proxy.h: filled by FLBPluginRegister. Recent Fluent Bit adds
 * config_map and event_type after description (calloc'ed, left zero by Go
 * plugins). */
struct flb_plugin_proxy_def {
    int type;
    int proxy;
    int flags;
    char *name;
    char *description;
    void *config_map;
    int event_type;
};

struct flb_plugin_proxy;

/* flb_plugin_proxy.h */
struct flb_plugin_proxy_context {
    void *remote_context;            /* set by FLBPluginSetContext in Init */
    struct flb_plugin_proxy *proxy;
};

/* flb_api.h */
struct flb_api {
    const char *(*output_get_property) (const char *, void *);
    const char *(*input_get_property) (const char *, void *);
    void *(*output_get_cmt_instance) (void *);
    void *(*input_get_cmt_instance) (void *);
    void (*log_print) (int, const char *, int, const char *, ...);
    int (*input_log_check) (void *, int);
    int (*output_log_check) (void *, int);
};

/* src/proxy/go/go.h */
struct flbgo_output_plugin {
    char *name;
    void *api;
    void *o_ins;
    struct flb_plugin_proxy_context *context;

    int (*cb_init)(struct flbgo_output_plugin *);
    int (*cb_flush)(const void *, size_t, const char *);
    int (*cb_flush_ctx)(void *, const void *, size_t, char *);
    int (*cb_exit)(void);
    int (*cb_exit_ctx)(void *);
};

/* flb_plugin_proxy.h (the host's side) */
struct flb_plugin_proxy {
    struct flb_plugin_proxy_def *def;
    struct flb_api *api;
    void *instance;      /* the output instance being initialised */
    void *dso_handler;
    void *data;          /* struct flbgo_output_plugin: ONE per .so */
};

#endif
