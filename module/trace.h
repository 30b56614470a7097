/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swaptab tracepoints.  Arguments are scalars only (device index, slot,
 * kind, lengths, durations), so BPF can attach with raw_tp/<name> without
 * module BTF: arguments arrive as u64 in TP_PROTO order.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM swaptab

#if !defined(_SWAPTAB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SWAPTAB_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(swaptab_io,
		    TP_PROTO(int dev, u64 slot, int kind, unsigned int len,
			     u64 ns),
		    TP_ARGS(dev, slot, kind, len, ns),
		    TP_STRUCT__entry(__field(int, dev)
				     __field(u64, slot)
				     __field(int, kind)
				     __field(unsigned int, len)
				     __field(u64, ns)),
		    TP_fast_assign(__entry->dev = dev;
				   __entry->slot = slot;
				   __entry->kind = kind;
				   __entry->len = len;
				   __entry->ns = ns;),
		    TP_printk("dev=%d slot=%llu kind=%d len=%u ns=%llu",
			      __entry->dev, __entry->slot, __entry->kind,
			      __entry->len, __entry->ns)
);

/* A page stored: kind (enum st_kind), stored length (0 for same-filled). */
DEFINE_EVENT(swaptab_io, swaptab_write,
	     TP_PROTO(int dev, u64 slot, int kind, unsigned int len, u64 ns),
	     TP_ARGS(dev, slot, kind, len, ns));

/* A page read back. */
DEFINE_EVENT(swaptab_io, swaptab_read,
	     TP_PROTO(int dev, u64 slot, int kind, unsigned int len, u64 ns),
	     TP_ARGS(dev, slot, kind, len, ns));

/* A slot freed; reason 0 = swap free notify, 1 = discard / write-zeroes. */
TRACE_EVENT(swaptab_free,
	    TP_PROTO(int dev, u64 slot, int kind, int reason),
	    TP_ARGS(dev, slot, kind, reason),
	    TP_STRUCT__entry(__field(int, dev)
			     __field(u64, slot)
			     __field(int, kind)
			     __field(int, reason)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->slot = slot;
			   __entry->kind = kind;
			   __entry->reason = reason;),
	    TP_printk("dev=%d slot=%llu kind=%d reason=%d", __entry->dev,
		      __entry->slot, __entry->kind, __entry->reason)
);

#endif /* _SWAPTAB_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
