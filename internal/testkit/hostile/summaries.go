package hostile

// ImpossibleSummaries is an api_v3 /api/v3/trace-summaries answer whose
// numbers cannot be: a span count that is not a number, negative or
// fractional counts, more errors than spans, start times past what 64-bit
// nanoseconds hold or before 1970, an end before the start. Printed as
// values they read as -9223372036854775808 spans or a trace from 1677.
// The first trace is sane, for contrast.
const ImpossibleSummaries = `{"summaries":[
{"traceId":"00000000000000000000000000000001","rootServiceName":"sane","rootOperationName":"GET /",
 "minStartTimeUnixNano":"1700000000000000000","maxEndTimeUnixNano":"1700000001000000000",
 "spanCount":"3","errorSpanCount":"1","services":[{"name":"sane","spanCount":"3","errorSpanCount":"1"}]},
{"traceId":"00000000000000000000000000000002","rootServiceName":"nan","rootOperationName":"op",
 "minStartTimeUnixNano":"1700000000000000000","maxEndTimeUnixNano":"1700000001000000000",
 "spanCount":"NaN","errorSpanCount":-5,"services":[{"name":"nan","spanCount":"Infinity","errorSpanCount":"-1"}]},
{"traceId":"00000000000000000000000000000003","rootServiceName":"far","rootOperationName":"op",
 "minStartTimeUnixNano":1e30,"maxEndTimeUnixNano":2e30,
 "spanCount":2.5,"errorSpanCount":"7","services":[]},
{"traceId":"00000000000000000000000000000004","rootServiceName":"backwards","rootOperationName":"op",
 "minStartTimeUnixNano":"1700000001000000000","maxEndTimeUnixNano":"1700000000000000000",
 "spanCount":"4","errorSpanCount":"9","services":[]},
{"traceId":"00000000000000000000000000000005","rootServiceName":"before-epoch","rootOperationName":"op",
 "minStartTimeUnixNano":"-5","maxEndTimeUnixNano":"99999999999999999999",
 "spanCount":"1e400","errorSpanCount":"0x10","services":[]}
]}`
