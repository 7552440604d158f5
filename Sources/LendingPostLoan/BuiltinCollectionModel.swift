/// The collection model compiled into the program. `Models/collection-model.json` is the same
/// text (a test keeps them equal); regenerate this file with `scripts/train-collection-model.sh`.
enum BuiltinCollectionModel {
    static let json: String? = #"""
{
  "basePoints" : 412,
  "characteristics" : [
    {
      "bins" : [
        {
          "bads" : 46,
          "count" : 640,
          "label" : "[-inf,2.0)",
          "points" : 75,
          "upper" : 2,
          "woe" : -2.2423922527734375
        },
        {
          "bads" : 74,
          "count" : 537,
          "label" : "[2.0,3.0)",
          "lower" : 2,
          "points" : 51,
          "upper" : 3,
          "woe" : -1.517816290781952
        },
        {
          "bads" : 225,
          "count" : 1041,
          "label" : "[3.0,6.0)",
          "lower" : 3,
          "points" : 33,
          "upper" : 6,
          "woe" : -0.9724682826595743
        },
        {
          "bads" : 320,
          "count" : 1116,
          "label" : "[6.0,12.0)",
          "lower" : 6,
          "points" : 20,
          "upper" : 12,
          "woe" : -0.5954325199504982
        },
        {
          "bads" : 660,
          "count" : 1398,
          "label" : "[12.0,32.0)",
          "lower" : 12,
          "points" : -7,
          "upper" : 32,
          "woe" : 0.2041416805201114
        },
        {
          "bads" : 661,
          "count" : 1029,
          "label" : "[32.0,68.0)",
          "lower" : 32,
          "points" : -30,
          "upper" : 68,
          "woe" : 0.9015165717828678
        },
        {
          "bads" : 570,
          "count" : 683,
          "label" : "[68.0,126.0)",
          "lower" : 68,
          "points" : -65,
          "upper" : 126,
          "woe" : 1.9340942122163678
        },
        {
          "bads" : 306,
          "count" : 343,
          "label" : "[126.0,inf)",
          "lower" : 126,
          "points" : -81,
          "woe" : 2.428512859408269
        }
      ],
      "coefficient" : 0.46415755909768597,
      "informationValue" : 1.3216734098778495,
      "kind" : "numeric",
      "name" : "max_days_past_due"
    },
    {
      "bins" : [
        {
          "bads" : 1560,
          "count" : 5105,
          "label" : "[-inf,1.0)",
          "points" : 11,
          "upper" : 1,
          "woe" : -0.5050066686225327
        },
        {
          "bads" : 538,
          "count" : 763,
          "label" : "[1.0,2.0)",
          "lower" : 1,
          "points" : -26,
          "upper" : 2,
          "woe" : 1.1876038280574768
        },
        {
          "bads" : 324,
          "count" : 433,
          "label" : "[2.0,3.0)",
          "lower" : 2,
          "points" : -31,
          "upper" : 3,
          "woe" : 1.4052413036632982
        },
        {
          "bads" : 220,
          "count" : 253,
          "label" : "[3.0,4.0)",
          "lower" : 3,
          "points" : -49,
          "upper" : 4,
          "woe" : 2.212965654985994
        },
        {
          "bads" : 220,
          "count" : 233,
          "label" : "[4.0,inf)",
          "lower" : 4,
          "points" : -70,
          "woe" : 3.1445238589909374
        }
      ],
      "coefficient" : 0.30691495019611476,
      "informationValue" : 0.8388808592752006,
      "kind" : "numeric",
      "name" : "broken_promises"
    },
    {
      "bins" : [
        {
          "bads" : 1296,
          "count" : 2034,
          "label" : "[-inf,0.1699956177170946)",
          "points" : -22,
          "upper" : 0.1699956177170946,
          "woe" : 0.8789397224118601
        },
        {
          "bads" : 407,
          "count" : 675,
          "label" : "[0.1699956177170946,0.5)",
          "lower" : 0.1699956177170946,
          "points" : -19,
          "upper" : 0.5,
          "woe" : 0.7336718750318509
        },
        {
          "bads" : 102,
          "count" : 345,
          "label" : "[0.5,0.5003031699449444)",
          "lower" : 0.5,
          "points" : 14,
          "upper" : 0.5003031699449444,
          "woe" : -0.5522429599561649
        },
        {
          "bads" : 1057,
          "count" : 3733,
          "label" : "[0.5003031699449444,inf)",
          "lower" : 0.5003031699449444,
          "points" : 16,
          "woe" : -0.6130427652777688
        }
      ],
      "coefficient" : 0.3512536008926292,
      "informationValue" : 0.4930466025932268,
      "kind" : "numeric",
      "name" : "payment_ratio_last3"
    },
    {
      "bins" : [
        {
          "bads" : 1868,
          "count" : 4878,
          "label" : "[-inf,1.0)",
          "points" : 9,
          "upper" : 1,
          "woe" : -0.16122606885402105
        },
        {
          "bads" : 994,
          "count" : 1909,
          "label" : "[1.0,inf)",
          "lower" : 1,
          "points" : -22,
          "woe" : 0.39865881148116533
        }
      ],
      "coefficient" : 0.7802774689515946,
      "informationValue" : 0.06393244523704421,
      "kind" : "numeric",
      "name" : "partial_payments_last3"
    },
    {
      "bins" : [
        {
          "bads" : 137,
          "count" : 716,
          "label" : "[-inf,2.0)",
          "points" : 41,
          "upper" : 2,
          "woe" : -1.1254758816447576
        },
        {
          "bads" : 443,
          "count" : 1797,
          "label" : "[2.0,3.0)",
          "lower" : 2,
          "points" : 29,
          "upper" : 3,
          "woe" : -0.8014030133269722
        },
        {
          "bads" : 419,
          "count" : 1076,
          "label" : "[3.0,4.0)",
          "lower" : 3,
          "points" : 5,
          "upper" : 4,
          "woe" : -0.1339674284623602
        },
        {
          "bads" : 759,
          "count" : 1354,
          "label" : "[4.0,6.0)",
          "lower" : 4,
          "points" : -20,
          "upper" : 6,
          "woe" : 0.5592860419501128
        },
        {
          "bads" : 465,
          "count" : 782,
          "label" : "[6.0,8.0)",
          "lower" : 6,
          "points" : -25,
          "upper" : 8,
          "woe" : 0.6989813018101882
        },
        {
          "bads" : 639,
          "count" : 1062,
          "label" : "[8.0,inf)",
          "lower" : 8,
          "points" : -26,
          "woe" : 0.7283779454313694
        }
      ],
      "coefficient" : 0.5014120916229311,
      "informationValue" : 0.47215367291711624,
      "kind" : "numeric",
      "name" : "contacts_without_answer_30d"
    },
    {
      "bins" : [
        {
          "bads" : 334,
          "count" : 1662,
          "label" : "[-inf,0.1111111111111111)",
          "points" : 9,
          "upper" : 0.1111111111111111,
          "woe" : -1.0644426669595661
        },
        {
          "bads" : 1691,
          "count" : 3731,
          "label" : "[0.1111111111111111,0.4)",
          "lower" : 0.1111111111111111,
          "points" : -1,
          "upper" : 0.4,
          "woe" : 0.12821593216043076
        },
        {
          "bads" : 170,
          "count" : 325,
          "label" : "[0.4,0.42857142857142855)",
          "lower" : 0.4,
          "points" : -3,
          "upper" : 0.42857142857142855,
          "woe" : 0.4082189902311277
        },
        {
          "bads" : 411,
          "count" : 713,
          "label" : "[0.42857142857142855,0.5714285714285714)",
          "lower" : 0.42857142857142855,
          "points" : -5,
          "upper" : 0.5714285714285714,
          "woe" : 0.6240118672214776
        },
        {
          "bads" : 256,
          "count" : 356,
          "label" : "[0.5714285714285714,inf)",
          "lower" : 0.5714285714285714,
          "points" : -10,
          "woe" : 1.2558529285915836
        }
      ],
      "coefficient" : 0.1152706623719344,
      "informationValue" : 0.3751046476943509,
      "kind" : "numeric",
      "name" : "answer_rate_30d"
    },
    {
      "bins" : [
        {
          "bads" : 2345,
          "count" : 4555,
          "label" : "[-inf,0.10804642857142857)",
          "points" : -20,
          "upper" : 0.10804642857142857,
          "woe" : 0.37513855646869393
        },
        {
          "bads" : 517,
          "count" : 2232,
          "label" : "[0.10804642857142857,inf)",
          "lower" : 0.10804642857142857,
          "points" : 46,
          "woe" : -0.8832798149914985
        }
      ],
      "coefficient" : 0.7275282778368789,
      "informationValue" : 0.32253233677958026,
      "kind" : "numeric",
      "name" : "utilisation"
    }
  ],
  "format" : "lending.scorecard",
  "formatVersion" : 1,
  "name" : "collection-model",
  "scaling" : {
    "baseOdds" : 19,
    "baseScore" : 600,
    "pdo" : 50
  },
  "source" : {
    "file" : "train.csv",
    "options" : {
      "bad" : "1",
      "exclude" : "loan_id,day",
      "l2" : "0.0",
      "maxBins" : "8",
      "minBinShare" : "0.02",
      "monotone" : "auto",
      "roundPoints" : "true",
      "select" : "iv:0.02",
      "target" : "still_overdue_30d",
      "testShare" : "0.3"
    },
    "rows" : 9695,
    "seed" : 1,
    "sha256" : "be36b2272dd860f246c151fca1c15871d3b8d70814629017b98911b5bbd8a7e7",
    "tool" : "lending train"
  },
  "version" : "1"
}
"""#
}
