/// Models compiled into the program, so the standard policy works from any directory.
/// `Models/fraud-model.json` is the same text (a test keeps them equal); regenerate this file
/// with `scripts/train-fraud-model.sh`.
enum BuiltinModels {
    static let fraudModelJSON: String? = #"""
{
  "basePoints" : 621,
  "characteristics" : [
    {
      "bins" : [
        {
          "bads" : 3609,
          "count" : 131275,
          "label" : "[-inf,1.0)",
          "points" : 14,
          "upper" : 1,
          "woe" : -0.16200353952848792
        },
        {
          "bads" : 812,
          "count" : 6146,
          "label" : "[1.0,inf)",
          "lower" : 1,
          "points" : -130,
          "woe" : 1.521626848797366
        }
      ],
      "coefficient" : 1.1836721550082339,
      "informationValue" : 0.24170802285310972,
      "kind" : "numeric",
      "name" : "night"
    },
    {
      "bins" : [
        {
          "bads" : 2864,
          "count" : 131828,
          "label" : "[-inf,1.0)",
          "points" : 30,
          "upper" : 1,
          "woe" : -0.40333083317096974
        },
        {
          "bads" : 1557,
          "count" : 5593,
          "label" : "[1.0,inf)",
          "lower" : 1,
          "points" : -182,
          "woe" : 2.4514900037381464
        }
      ],
      "coefficient" : 1.027802781645505,
      "informationValue" : 0.9187866865472154,
      "kind" : "numeric",
      "name" : "virtual_phone"
    },
    {
      "bins" : [
        {
          "bads" : 2529,
          "count" : 132885,
          "label" : "[-inf,1.0)",
          "points" : 14,
          "upper" : 1,
          "woe" : -0.5384619881741386
        },
        {
          "bads" : 1892,
          "count" : 4536,
          "label" : "[1.0,inf)",
          "lower" : 1,
          "points" : -81,
          "woe" : 3.0693247620178945
        }
      ],
      "coefficient" : 0.36641019248276047,
      "informationValue" : 1.4722575948740388,
      "kind" : "numeric",
      "name" : "amount_at_cap"
    },
    {
      "bins" : [
        {
          "bads" : 2035,
          "count" : 130537,
          "label" : "[-inf,0.63)",
          "points" : 44,
          "upper" : 0.63,
          "woe" : -0.7414654361442822
        },
        {
          "bads" : 2386,
          "count" : 6884,
          "label" : "[0.63,inf)",
          "lower" : 0.63,
          "points" : -163,
          "woe" : 2.769968683516248
        }
      ],
      "coefficient" : 0.8178944238798631,
      "informationValue" : 1.7763549951644544,
      "kind" : "numeric",
      "name" : "amount_to_cap"
    },
    {
      "bins" : [
        {
          "bads" : 2137,
          "count" : 6819,
          "label" : "[-inf,83.8)",
          "points" : -192,
          "upper" : 83.8,
          "woe" : 2.6196608206459393
        },
        {
          "bads" : 439,
          "count" : 6824,
          "label" : "[83.8,85.5)",
          "lower" : 83.8,
          "points" : -53,
          "upper" : 85.5,
          "woe" : 0.7267758579861793
        },
        {
          "bads" : 242,
          "count" : 6280,
          "label" : "[85.5,86.5)",
          "lower" : 85.5,
          "points" : -14,
          "upper" : 86.5,
          "woe" : 0.18709282926755
        },
        {
          "bads" : 224,
          "count" : 7230,
          "label" : "[86.5,87.4)",
          "lower" : 86.5,
          "points" : 3,
          "upper" : 87.4,
          "woe" : -0.0388929385247447
        },
        {
          "bads" : 161,
          "count" : 6891,
          "label" : "[87.4,88.1)",
          "lower" : 87.4,
          "points" : 24,
          "upper" : 88.1,
          "woe" : -0.3289428442766628
        },
        {
          "bads" : 322,
          "count" : 19703,
          "label" : "[88.1,89.8)",
          "lower" : 88.1,
          "points" : 51,
          "upper" : 89.8,
          "woe" : -0.6935137247786918
        },
        {
          "bads" : 421,
          "count" : 35487,
          "label" : "[89.8,92.5)",
          "lower" : 89.8,
          "points" : 75,
          "upper" : 92.5,
          "woe" : -1.0183712319700446
        },
        {
          "bads" : 475,
          "count" : 48187,
          "label" : "[92.5,inf)",
          "lower" : 92.5,
          "points" : 88,
          "woe" : -1.2056402001521762
        }
      ],
      "coefficient" : 1.0165600220487032,
      "informationValue" : 1.742867893020404,
      "kind" : "numeric",
      "name" : "face_score"
    },
    {
      "bins" : [
        {
          "bads" : 2899,
          "count" : 125115,
          "label" : "[-inf,1.0)",
          "points" : 24,
          "upper" : 1,
          "woe" : -0.33744090774625574
        },
        {
          "bads" : 1522,
          "count" : 12306,
          "label" : "[1.0,inf)",
          "lower" : 1,
          "points" : -102,
          "woe" : 1.4459449186471904
        }
      ],
      "coefficient" : 0.973702906996977,
      "informationValue" : 0.4693573605428855,
      "kind" : "numeric",
      "name" : "employer_missing"
    },
    {
      "bins" : [
        {
          "bads" : 3558,
          "count" : 126822,
          "label" : "[-inf,1.0)",
          "points" : 9,
          "upper" : 1,
          "woe" : -0.14114659411431466
        },
        {
          "bads" : 789,
          "count" : 10297,
          "label" : "[1.0,2.0)",
          "lower" : 1,
          "points" : -57,
          "upper" : 2,
          "woe" : 0.9148607057434371
        },
        {
          "bads" : 74,
          "count" : 302,
          "label" : "[2.0,inf)",
          "lower" : 2,
          "points" : -141,
          "woe" : 2.278702677627377
        }
      ],
      "coefficient" : 0.8589981436197986,
      "informationValue" : 0.14932505671559565,
      "kind" : "numeric",
      "name" : "kyc_not_match"
    },
    {
      "bins" : [
        {
          "bads" : 3975,
          "count" : 136562,
          "label" : "[-inf,2.0)",
          "points" : 5,
          "upper" : 2,
          "woe" : -0.10323107224597494
        },
        {
          "bads" : 446,
          "count" : 859,
          "label" : "[2.0,inf)",
          "lower" : 2,
          "points" : -166,
          "woe" : 3.480854572436679
        }
      ],
      "coefficient" : 0.6619480335500249,
      "informationValue" : 0.35044074855138074,
      "kind" : "numeric",
      "name" : "id_apps_24h"
    },
    {
      "bins" : [
        {
          "bads" : 1843,
          "count" : 134481,
          "label" : "[-inf,2.0)",
          "points" : 17,
          "upper" : 2,
          "woe" : -0.8722457208002505
        },
        {
          "bads" : 2578,
          "count" : 2940,
          "label" : "[2.0,inf)",
          "lower" : 2,
          "points" : -108,
          "woe" : 5.367108185051009
        }
      ],
      "coefficient" : 0.2778144835482235,
      "informationValue" : 3.6213471191752493,
      "kind" : "numeric",
      "name" : "device_apps_24h"
    },
    {
      "bins" : [
        {
          "bads" : 1665,
          "count" : 134217,
          "label" : "[-inf,2.0)",
          "points" : 14,
          "upper" : 2,
          "woe" : -0.9731666844569414
        },
        {
          "bads" : 2756,
          "count" : 3204,
          "label" : "[2.0,inf)",
          "lower" : 2,
          "points" : -78,
          "woe" : 5.220725613096212
        }
      ],
      "coefficient" : 0.20614060211756147,
      "informationValue" : 3.8403368088528964,
      "kind" : "numeric",
      "name" : "device_ids_30d"
    },
    {
      "bins" : [
        {
          "bads" : 3515,
          "count" : 135537,
          "label" : "[-inf,2.0)",
          "points" : 4,
          "upper" : 2,
          "woe" : -0.22194583672541576
        },
        {
          "bads" : 641,
          "count" : 1599,
          "label" : "[2.0,3.0)",
          "lower" : 2,
          "points" : -53,
          "upper" : 3,
          "woe" : 3.0021648923274573
        },
        {
          "bads" : 265,
          "count" : 285,
          "label" : "[3.0,inf)",
          "lower" : 3,
          "points" : -106,
          "woe" : 5.987980765809879
        }
      ],
      "coefficient" : 0.24448528887323995,
      "informationValue" : 0.8155365100866067,
      "kind" : "numeric",
      "name" : "ip_apps_1h"
    },
    {
      "bins" : [
        {
          "bads" : 1693,
          "count" : 120420,
          "label" : "[-inf,2.0)",
          "points" : 46,
          "upper" : 2,
          "woe" : -0.8463414234163693
        },
        {
          "bads" : 574,
          "count" : 13084,
          "label" : "[2.0,3.0)",
          "lower" : 2,
          "points" : -18,
          "upper" : 3,
          "woe" : 0.32232900623625726
        },
        {
          "bads" : 411,
          "count" : 1662,
          "label" : "[3.0,4.0)",
          "lower" : 3,
          "points" : -125,
          "upper" : 4,
          "woe" : 2.290877917406971
        },
        {
          "bads" : 310,
          "count" : 633,
          "label" : "[4.0,5.0)",
          "lower" : 4,
          "points" : -184,
          "upper" : 5,
          "woe" : 3.362903187634183
        },
        {
          "bads" : 279,
          "count" : 385,
          "label" : "[5.0,6.0)",
          "lower" : 5,
          "points" : -239,
          "upper" : 6,
          "woe" : 4.371755901086946
        },
        {
          "bads" : 434,
          "count" : 493,
          "label" : "[6.0,8.0)",
          "lower" : 6,
          "points" : -295,
          "upper" : 8,
          "woe" : 5.399490303572333
        },
        {
          "bads" : 344,
          "count" : 359,
          "label" : "[8.0,10.0)",
          "lower" : 8,
          "points" : -357,
          "upper" : 10,
          "woe" : 6.536574669648836
        },
        {
          "bads" : 376,
          "count" : 385,
          "label" : "[10.0,inf)",
          "lower" : 10,
          "points" : -390,
          "woe" : 7.136347779431323
        }
      ],
      "coefficient" : 0.7573503756592777,
      "informationValue" : 2.776407646006562,
      "kind" : "numeric",
      "name" : "ip_apps_24h"
    },
    {
      "bins" : [
        {
          "bads" : 2530,
          "count" : 130500,
          "label" : "[-inf,2.0)",
          "points" : 20,
          "upper" : 2,
          "woe" : -0.5195933453324281
        },
        {
          "bads" : 1891,
          "count" : 6921,
          "label" : "[2.0,inf)",
          "lower" : 2,
          "points" : -93,
          "woe" : 2.4256690189423202
        }
      ],
      "coefficient" : 0.5332550969848585,
      "informationValue" : 1.148392354488106,
      "kind" : "numeric",
      "name" : "contact_apps_7d"
    },
    {
      "bins" : [
        {
          "bads" : 1104,
          "count" : 132735,
          "label" : "[-inf,2.0)",
          "points" : 76,
          "upper" : 2,
          "woe" : -1.3770793922282516
        },
        {
          "bads" : 3317,
          "count" : 4686,
          "label" : "[2.0,inf)",
          "lower" : 2,
          "points" : -235,
          "woe" : 4.2889634270362516
        }
      ],
      "coefficient" : 0.7610631908536374,
      "informationValue" : 4.192812240279076,
      "kind" : "numeric",
      "name" : "ring_people"
    },
    {
      "bins" : [
        {
          "bads" : 2579,
          "count" : 108878,
          "label" : "[-inf,0.0012787723785166241)",
          "points" : 2,
          "upper" : 0.0012787723785166241,
          "woe" : -0.3148709376890742
        },
        {
          "bads" : 1842,
          "count" : 28543,
          "label" : "[0.0012787723785166241,inf)",
          "lower" : 0.0012787723785166241,
          "points" : -4,
          "woe" : 0.7301341333223912
        }
      ],
      "coefficient" : 0.08441978784951062,
      "informationValue" : 0.22560449235561109,
      "kind" : "numeric",
      "name" : "merchant_cap_share"
    },
    {
      "bins" : [
        {
          "bads" : 1856,
          "count" : 88491,
          "label" : "[-inf,0.06521739130434782)",
          "points" : 35,
          "upper" : 0.06521739130434782,
          "woe" : -0.43929704322115365
        },
        {
          "bads" : 2565,
          "count" : 48930,
          "label" : "[0.06521739130434782,inf)",
          "lower" : 0.06521739130434782,
          "points" : -40,
          "woe" : 0.5093968277481912
        }
      ],
      "coefficient" : 1.0960975920125064,
      "informationValue" : 0.2196951643182617,
      "kind" : "numeric",
      "name" : "merchant_top_amount_share"
    },
    {
      "bins" : [
        {
          "bads" : 2133,
          "count" : 110224,
          "label" : "[-inf,0.00129366106080207)",
          "points" : 2,
          "upper" : 0.00129366106080207,
          "woe" : -0.5214608120680896
        },
        {
          "bads" : 2288,
          "count" : 27197,
          "label" : "[0.00129366106080207,inf)",
          "lower" : 0.00129366106080207,
          "points" : -3,
          "woe" : 1.0164321029471959
        }
      ],
      "coefficient" : 0.04411293416734036,
      "informationValue" : 0.5078803020023703,
      "kind" : "numeric",
      "name" : "merchant_shared_device_share"
    }
  ],
  "format" : "lending.scorecard",
  "formatVersion" : 1,
  "name" : "fraud-model",
  "scaling" : {
    "baseOdds" : 19,
    "baseScore" : 600,
    "pdo" : 50
  },
  "source" : {
    "file" : "train.csv",
    "options" : {
      "bad" : "1",
      "exclude" : "application_id,id_apps_30d,phone_apps_24h,contact_ids_30d",
      "l2" : "0.0",
      "maxBins" : "8",
      "minBinShare" : "0.002",
      "monotone" : "auto",
      "roundPoints" : "true",
      "select" : "iv:0.02",
      "target" : "is_fraud",
      "testShare" : "0.3"
    },
    "rows" : 196316,
    "seed" : 1,
    "sha256" : "20c6b9558c370b6022d8480168b35bb2224620367fe66893cdbd8906166f7632",
    "tool" : "lending train"
  },
  "version" : "1"
}
"""#
}
