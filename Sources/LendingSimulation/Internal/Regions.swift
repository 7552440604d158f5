import LendingModel

/// A county-level division of GB/T 2260: the first six digits of an ID number, and the
/// province, city and district of a postal address there.
struct Region: Sendable {
    var code: String
    var province: String
    /// Empty for the municipalities (Beijing, Tianjin, Shanghai, Chongqing).
    var city: String
    /// Empty for the prefecture-level cities without districts (Dongguan, Zhongshan).
    var district: String
    /// Relative share of people registered there (populous provinces weigh more).
    var weight: Double
    /// A big city that draws people from elsewhere to live and work.
    var destination: Bool

    /// The address prefix, `广东省深圳市南山区` or `北京市朝阳区`.
    var addressPrefix: String { province + city + district }
}

/// Real county-level codes across every provincial division of the mainland.
enum Regions {
    static let all: [Region] = [
        Region(code: "110101", province: "北京市", city: "", district: "东城区", weight: 2, destination: true),
        Region(code: "110102", province: "北京市", city: "", district: "西城区", weight: 2, destination: true),
        Region(code: "110105", province: "北京市", city: "", district: "朝阳区", weight: 3, destination: true),
        Region(code: "110106", province: "北京市", city: "", district: "丰台区", weight: 2, destination: true),
        Region(code: "110108", province: "北京市", city: "", district: "海淀区", weight: 3, destination: true),
        Region(code: "110114", province: "北京市", city: "", district: "昌平区", weight: 2, destination: true),
        Region(code: "120101", province: "天津市", city: "", district: "和平区", weight: 1, destination: true),
        Region(code: "120104", province: "天津市", city: "", district: "南开区", weight: 1.5, destination: true),
        Region(code: "120116", province: "天津市", city: "", district: "滨海新区", weight: 2, destination: true),
        Region(code: "130102", province: "河北省", city: "石家庄市", district: "长安区", weight: 2, destination: false),
        Region(code: "130104", province: "河北省", city: "石家庄市", district: "桥西区", weight: 2, destination: false),
        Region(code: "130203", province: "河北省", city: "唐山市", district: "路北区", weight: 2, destination: false),
        Region(code: "130602", province: "河北省", city: "保定市", district: "竞秀区", weight: 2, destination: false),
        Region(code: "130802", province: "河北省", city: "承德市", district: "双桥区", weight: 1, destination: false),
        Region(code: "140105", province: "山西省", city: "太原市", district: "小店区", weight: 1.5, destination: false),
        Region(code: "140106", province: "山西省", city: "太原市", district: "迎泽区", weight: 1, destination: false),
        Region(code: "140107", province: "山西省", city: "太原市", district: "杏花岭区", weight: 1, destination: false),
        Region(code: "140802", province: "山西省", city: "运城市", district: "盐湖区", weight: 1.5, destination: false),
        Region(code: "150102", province: "内蒙古自治区", city: "呼和浩特市", district: "新城区", weight: 1, destination: false),
        Region(code: "150105", province: "内蒙古自治区", city: "呼和浩特市", district: "赛罕区", weight: 1, destination: false),
        Region(code: "150203", province: "内蒙古自治区", city: "包头市", district: "昆都仑区", weight: 1, destination: false),
        Region(code: "210102", province: "辽宁省", city: "沈阳市", district: "和平区", weight: 1.5, destination: false),
        Region(code: "210106", province: "辽宁省", city: "沈阳市", district: "铁西区", weight: 1.5, destination: false),
        Region(code: "210202", province: "辽宁省", city: "大连市", district: "中山区", weight: 1, destination: false),
        Region(code: "210204", province: "辽宁省", city: "大连市", district: "沙河口区", weight: 1, destination: false),
        Region(code: "220102", province: "吉林省", city: "长春市", district: "南关区", weight: 1, destination: false),
        Region(code: "220104", province: "吉林省", city: "长春市", district: "朝阳区", weight: 1, destination: false),
        Region(code: "220202", province: "吉林省", city: "吉林市", district: "昌邑区", weight: 1, destination: false),
        Region(code: "230102", province: "黑龙江省", city: "哈尔滨市", district: "道里区", weight: 1, destination: false),
        Region(code: "230103", province: "黑龙江省", city: "哈尔滨市", district: "南岗区", weight: 1.5, destination: false),
        Region(code: "230202", province: "黑龙江省", city: "齐齐哈尔市", district: "龙沙区", weight: 1, destination: false),
        Region(code: "310101", province: "上海市", city: "", district: "黄浦区", weight: 1.5, destination: true),
        Region(code: "310104", province: "上海市", city: "", district: "徐汇区", weight: 2, destination: true),
        Region(code: "310105", province: "上海市", city: "", district: "长宁区", weight: 1.5, destination: true),
        Region(code: "310106", province: "上海市", city: "", district: "静安区", weight: 1.5, destination: true),
        Region(code: "310107", province: "上海市", city: "", district: "普陀区", weight: 1.5, destination: true),
        Region(code: "310110", province: "上海市", city: "", district: "杨浦区", weight: 1.5, destination: true),
        Region(code: "310112", province: "上海市", city: "", district: "闵行区", weight: 2, destination: true),
        Region(code: "310115", province: "上海市", city: "", district: "浦东新区", weight: 3, destination: true),
        Region(code: "320102", province: "江苏省", city: "南京市", district: "玄武区", weight: 1, destination: true),
        Region(code: "320104", province: "江苏省", city: "南京市", district: "秦淮区", weight: 1, destination: true),
        Region(code: "320106", province: "江苏省", city: "南京市", district: "鼓楼区", weight: 1, destination: true),
        Region(code: "320205", province: "江苏省", city: "无锡市", district: "锡山区", weight: 1, destination: false),
        Region(code: "320505", province: "江苏省", city: "苏州市", district: "虎丘区", weight: 1, destination: true),
        Region(code: "320506", province: "江苏省", city: "苏州市", district: "吴中区", weight: 1.5, destination: true),
        Region(code: "320583", province: "江苏省", city: "苏州市", district: "昆山市", weight: 1.5, destination: true),
        Region(code: "321002", province: "江苏省", city: "扬州市", district: "广陵区", weight: 1, destination: false),
        Region(code: "330102", province: "浙江省", city: "杭州市", district: "上城区", weight: 1, destination: true),
        Region(code: "330106", province: "浙江省", city: "杭州市", district: "西湖区", weight: 1.5, destination: true),
        Region(code: "330108", province: "浙江省", city: "杭州市", district: "滨江区", weight: 1, destination: true),
        Region(code: "330203", province: "浙江省", city: "宁波市", district: "海曙区", weight: 1, destination: false),
        Region(code: "330302", province: "浙江省", city: "温州市", district: "鹿城区", weight: 1, destination: false),
        Region(code: "330382", province: "浙江省", city: "温州市", district: "乐清市", weight: 1, destination: false),
        Region(code: "330782", province: "浙江省", city: "金华市", district: "义乌市", weight: 1, destination: false),
        Region(code: "340102", province: "安徽省", city: "合肥市", district: "瑶海区", weight: 2, destination: false),
        Region(code: "340104", province: "安徽省", city: "合肥市", district: "蜀山区", weight: 2, destination: false),
        Region(code: "340202", province: "安徽省", city: "芜湖市", district: "镜湖区", weight: 1.5, destination: false),
        Region(code: "341202", province: "安徽省", city: "阜阳市", district: "颍州区", weight: 2, destination: false),
        Region(code: "350102", province: "福建省", city: "福州市", district: "鼓楼区", weight: 1, destination: false),
        Region(code: "350203", province: "福建省", city: "厦门市", district: "思明区", weight: 1, destination: true),
        Region(code: "350206", province: "福建省", city: "厦门市", district: "湖里区", weight: 1, destination: true),
        Region(code: "350582", province: "福建省", city: "泉州市", district: "晋江市", weight: 1.5, destination: false),
        Region(code: "360102", province: "江西省", city: "南昌市", district: "东湖区", weight: 1.5, destination: false),
        Region(code: "360426", province: "江西省", city: "九江市", district: "德安县", weight: 1, destination: false),
        Region(code: "360502", province: "江西省", city: "新余市", district: "渝水区", weight: 1, destination: false),
        Region(code: "360702", province: "江西省", city: "赣州市", district: "章贡区", weight: 2, destination: false),
        Region(code: "370102", province: "山东省", city: "济南市", district: "历下区", weight: 2, destination: false),
        Region(code: "370202", province: "山东省", city: "青岛市", district: "市南区", weight: 1.5, destination: true),
        Region(code: "370212", province: "山东省", city: "青岛市", district: "崂山区", weight: 1.5, destination: false),
        Region(code: "370602", province: "山东省", city: "烟台市", district: "芝罘区", weight: 1.5, destination: false),
        Region(code: "370702", province: "山东省", city: "潍坊市", district: "潍城区", weight: 2, destination: false),
        Region(code: "410102", province: "河南省", city: "郑州市", district: "中原区", weight: 2, destination: false),
        Region(code: "410105", province: "河南省", city: "郑州市", district: "金水区", weight: 2.5, destination: true),
        Region(code: "410302", province: "河南省", city: "洛阳市", district: "老城区", weight: 2, destination: false),
        Region(code: "411302", province: "河南省", city: "南阳市", district: "宛城区", weight: 3, destination: false),
        Region(code: "420102", province: "湖北省", city: "武汉市", district: "江岸区", weight: 1.5, destination: true),
        Region(code: "420106", province: "湖北省", city: "武汉市", district: "武昌区", weight: 1.5, destination: true),
        Region(code: "420111", province: "湖北省", city: "武汉市", district: "洪山区", weight: 1.5, destination: true),
        Region(code: "420502", province: "湖北省", city: "宜昌市", district: "西陵区", weight: 1.5, destination: false),
        Region(code: "430102", province: "湖南省", city: "长沙市", district: "芙蓉区", weight: 1.5, destination: true),
        Region(code: "430104", province: "湖南省", city: "长沙市", district: "岳麓区", weight: 2, destination: true),
        Region(code: "430202", province: "湖南省", city: "株洲市", district: "荷塘区", weight: 1.5, destination: false),
        Region(code: "430602", province: "湖南省", city: "岳阳市", district: "岳阳楼区", weight: 2, destination: false),
        Region(code: "440103", province: "广东省", city: "广州市", district: "荔湾区", weight: 1.5, destination: true),
        Region(code: "440104", province: "广东省", city: "广州市", district: "越秀区", weight: 1.5, destination: true),
        Region(code: "440106", province: "广东省", city: "广州市", district: "天河区", weight: 2.5, destination: true),
        Region(code: "440303", province: "广东省", city: "深圳市", district: "罗湖区", weight: 1.5, destination: true),
        Region(code: "440304", province: "广东省", city: "深圳市", district: "福田区", weight: 2, destination: true),
        Region(code: "440305", province: "广东省", city: "深圳市", district: "南山区", weight: 2, destination: true),
        Region(code: "440306", province: "广东省", city: "深圳市", district: "宝安区", weight: 3, destination: true),
        Region(code: "440307", province: "广东省", city: "深圳市", district: "龙岗区", weight: 3, destination: true),
        Region(code: "440604", province: "广东省", city: "佛山市", district: "禅城区", weight: 1.5, destination: true),
        Region(code: "441900", province: "广东省", city: "东莞市", district: "", weight: 3, destination: true),
        Region(code: "442000", province: "广东省", city: "中山市", district: "", weight: 1.5, destination: true),
        Region(code: "450102", province: "广西壮族自治区", city: "南宁市", district: "兴宁区", weight: 1.5, destination: false),
        Region(code: "450103", province: "广西壮族自治区", city: "南宁市", district: "青秀区", weight: 1.5, destination: false),
        Region(code: "450302", province: "广西壮族自治区", city: "桂林市", district: "秀峰区", weight: 1.5, destination: false),
        Region(code: "460105", province: "海南省", city: "海口市", district: "秀英区", weight: 0.7, destination: false),
        Region(code: "460106", province: "海南省", city: "海口市", district: "龙华区", weight: 0.7, destination: false),
        Region(code: "460202", province: "海南省", city: "三亚市", district: "海棠区", weight: 0.4, destination: false),
        Region(code: "500103", province: "重庆市", city: "", district: "渝中区", weight: 1.5, destination: true),
        Region(code: "500105", province: "重庆市", city: "", district: "江北区", weight: 1.5, destination: true),
        Region(code: "500106", province: "重庆市", city: "", district: "沙坪坝区", weight: 1.5, destination: true),
        Region(code: "500112", province: "重庆市", city: "", district: "渝北区", weight: 2, destination: true),
        Region(code: "510104", province: "四川省", city: "成都市", district: "锦江区", weight: 2, destination: true),
        Region(code: "510105", province: "四川省", city: "成都市", district: "青羊区", weight: 2, destination: true),
        Region(code: "510107", province: "四川省", city: "成都市", district: "武侯区", weight: 2, destination: true),
        Region(code: "510108", province: "四川省", city: "成都市", district: "成华区", weight: 2, destination: true),
        Region(code: "510703", province: "四川省", city: "绵阳市", district: "涪城区", weight: 2, destination: false),
        Region(code: "520102", province: "贵州省", city: "贵阳市", district: "南明区", weight: 1.5, destination: false),
        Region(code: "520103", province: "贵州省", city: "贵阳市", district: "云岩区", weight: 1.5, destination: false),
        Region(code: "520302", province: "贵州省", city: "遵义市", district: "红花岗区", weight: 1.5, destination: false),
        Region(code: "530102", province: "云南省", city: "昆明市", district: "五华区", weight: 1.5, destination: false),
        Region(code: "530103", province: "云南省", city: "昆明市", district: "盘龙区", weight: 1.5, destination: false),
        Region(code: "530111", province: "云南省", city: "昆明市", district: "官渡区", weight: 1.5, destination: false),
        Region(code: "540102", province: "西藏自治区", city: "拉萨市", district: "城关区", weight: 0.3, destination: false),
        Region(code: "610102", province: "陕西省", city: "西安市", district: "新城区", weight: 1.5, destination: true),
        Region(code: "610103", province: "陕西省", city: "西安市", district: "碑林区", weight: 1.5, destination: true),
        Region(code: "610113", province: "陕西省", city: "西安市", district: "雁塔区", weight: 2, destination: true),
        Region(code: "620102", province: "甘肃省", city: "兰州市", district: "城关区", weight: 1.2, destination: false),
        Region(code: "620103", province: "甘肃省", city: "兰州市", district: "七里河区", weight: 1, destination: false),
        Region(code: "630102", province: "青海省", city: "西宁市", district: "城东区", weight: 0.4, destination: false),
        Region(code: "630103", province: "青海省", city: "西宁市", district: "城中区", weight: 0.4, destination: false),
        Region(code: "640104", province: "宁夏回族自治区", city: "银川市", district: "兴庆区", weight: 0.5, destination: false),
        Region(code: "640105", province: "宁夏回族自治区", city: "银川市", district: "西夏区", weight: 0.4, destination: false),
        Region(code: "650102", province: "新疆维吾尔自治区", city: "乌鲁木齐市", district: "天山区", weight: 1, destination: false),
        Region(code: "650103", province: "新疆维吾尔自治区", city: "乌鲁木齐市", district: "沙依巴克区", weight: 1, destination: false),
    ]

    /// Where people are registered (the ID number's region).
    static let birthTable = WeightedTable(all.map(\.weight))
    /// The big cities people move to.
    static let destinations: [Int] = all.indices.filter { all[$0].destination }
    static let destinationTable = WeightedTable(destinations.map { all[$0].weight })

    /// Street names found in most Chinese cities.
    static let streets: [String] = [
        "人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "胜利路", "文化路", "朝阳路", "长江路",
        "黄河路", "东风路", "青年路", "光明路", "幸福路", "建国路", "友谊路", "民主路", "团结路", "科技路",
        "学府路", "滨江路", "环城路", "工业路", "北京路", "延安路", "花园路", "振兴路", "迎宾路", "育才路",
        "金融街", "体育路", "公园路", "南湖路", "西湖路", "东大街", "西大街", "南大街", "北大街", "府前街",
        "世纪大道", "发展大道", "创业大道", "新城大道", "湖滨路", "桃源路", "丽水路", "凤凰路", "龙华路", "宝安路",
    ]

    static let compoundFirst: [String] = [
        "阳光", "幸福", "金色", "翠苑", "碧水", "锦绣", "华府", "世纪", "新城", "御景",
        "名门", "丽景", "东方", "紫荆", "春天", "星河", "滨江", "怡和", "康乐", "书香",
    ]
    static let compoundSecond: [String] = ["花园", "小区", "家园", "公寓", "雅苑", "新村", "嘉园", "华庭", "名邸", "豪庭"]
}
