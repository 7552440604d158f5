import LendingModel

/// A pool of employer names (companies, hospitals, schools, public offices), shared by many
/// applicants: big employers have many staff (Zipf-like).
struct EmployerPool: Sendable {
    let names: [String]
    let table: WeightedTable

    static let brandCharacters: [String] = [
        "华", "宏", "鑫", "盛", "恒", "泰", "瑞", "达", "博", "远", "康", "诚", "信", "和", "金", "新", "天", "海", "东", "中",
        "创", "源", "通", "安", "兴", "德", "隆", "丰", "利", "嘉", "锦", "顺", "宇", "耀", "联", "智", "汇", "航", "振", "昌",
    ]
    static let industries: [String] = [
        "电子科技", "网络科技", "信息技术", "贸易", "建筑工程", "物流", "餐饮管理", "医疗器械", "房地产开发", "机械制造",
        "服装", "食品", "教育咨询", "汽车销售", "物业管理", "文化传媒", "电力工程", "生物科技", "家具", "印刷",
        "环保科技", "供应链管理", "商贸", "装饰工程", "酒店管理", "精密制造", "新能源科技", "广告", "软件", "化工",
    ]
    static let forms: [String] = ["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"]
    static let banks: [String] = ["工商", "农业", "建设", "交通", "邮政储蓄"]

    init(count: Int, _ rng: inout SplitMix64) {
        var seen = Set<String>()
        var names: [String] = []
        names.reserveCapacity(count)
        while names.count < count {
            let region = Regions.all[Regions.birthTable.pick(&rng)]
            let city = region.city.isEmpty ? region.province : region.city
            let place = rng.chance(0.5) ? city : String(city.dropLast())
            let name: String
            switch rng.below(100) {
            case 0..<72:
                let brand = rng.element(Self.brandCharacters) + rng.element(Self.brandCharacters)
                name = place + brand + rng.element(Self.industries) + rng.element(Self.forms)
            case 72..<80:
                name = city + "第\(["一", "二", "三", "四", "五", "六"][rng.below(6)])人民医院"
            case 80..<86:
                name = city + "第\(rng.int(1...40))中学"
            case 86..<91:
                name = region.district.isEmpty ? city + "人民政府" : region.district + "人民政府"
            case 91..<96:
                name = "中国\(rng.element(Self.banks))银行股份有限公司\(String(city.dropLast()))分行"
            default:
                name = String(city.dropLast()) + ["公交集团有限公司", "地铁集团有限公司", "供电公司", "自来水有限公司"][rng.below(4)]
            }
            if seen.insert(name).inserted { names.append(name) }
        }
        self.names = names
        table = WeightedTable.zipf(count: count, exponent: 0.6)
    }

    func pick(_ rng: inout SplitMix64) -> String { names[table.pick(&rng)] }
}
