"""The six real posts of the seed archive page, verbatim (split into paragraphs)."""

SEED_POSTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "EU and UNICEF Help Kazakhstan Reintegrate Children Returned from Syria and Iraq",
        (
            (
                "When the so-called Islamic State established a self-declared 'caliphate' in "
                "2014, thousands of nationals of Central Asian countries, including Kazakhstan, "
                "travelled to Iraq and Syria to join IS ranks. Many moved with their families and "
                "subsequently, many children were born in IS controlled conflict zones between "
                "2014-2019. Kazakhstan has so far evacuated 526 of these children and with aid "
                'from the European Union (EU) funded programme "EU-UN Support to the States in '
                "Central Asia for their Citizens Returned from Conflict Zones, Primarily Syria, "
                'and Iraq," offered comprehensive support for their adaptation to life back home.'
            ),
            (
                "The programme aims to assist returnee women, children, and families by "
                "encouraging their reintegration into local communities and ensuring they receive "
                "protection, access to social services, and education. During the first phase, "
                "Kazakhstan in collaboration with UNICEF, established a National Resource Center "
                "to train and equip specialists working with returned children and provide "
                "psychosocial services and professional guidance to returnees."
            ),
            (
                "“Our common goal is to ensure that all returnee children continue to receive the "
                "necessary support to recover from their experiences as well as the opportunity "
                "to learn, develop, and adapt to Kazakhstani culture and tradition,” said "
                "Laetitia Bazzi-Vale, acting UNICEF Representative in Kazakhstan. Kazakhstan’s "
                "First Deputy Minister of Foreign Affairs, Kairat Umarov noted that whilst "
                "significant progress has been made in the gradual reintegration of returnees "
                'into society, “our children still need psychological and social support." The '
                "Delegation of the European Union to Kazakhstan reported that on February 23rd, "
                "representatives of the EU, UNICEF, and the Kazakh Ministry of Foreign Affairs "
                "met in Astana to discuss the implementation of the second phase of reintegrating "
                "further returnee children and their families."
            ),
            (
                "Initiatives discussed included a program of activities designed to assist local "
                "executive bodies and schools working in this sensitive field. Kestutis "
                "Jankauskas, the EU Ambassador to Kazakhstan, stated: “We have been supporting an "
                "important programme to reintegrate returnee children in Kazakhstan for several "
                "years now."
            ),
            (
                "The cooperation of UNICEF, the European Union, and the Kazakhstani authorities "
                "aims to create conditions for the children’s successful social adaptation, and "
                "we are pleased to see positive results.”"
            ),
        ),
    ),
    (
        "Government Addresses Electricity Generation",
        (
            (
                "In order to ensure a reliable supply of power, in the coming years Kazakhstan "
                "will gradually be introducing new energy-generating capacities and modernizing "
                "existing power plants. The country is also aiming for a significant reduction in "
                "coal-based electricity generation through the introduction of renewable energy "
                "sources and electricity generated from natural gas. At a government meeting "
                "chaired by Prime Minister Alikhan Smailov on January 16th, Energy Minister, "
                "Almasadam Satkaliev reported that there are 220 power plants in operation in "
                "Kazakhstan, including 144 renewable energy facilities with a total capacity of "
                "2.8 GW."
            ),
            (
                "As of January 1st, 2024, the country’s total available generation capacity was "
                "20.4 GW, and the maximum consumption in the current autumn-winter period was "
                "16.6 GW. The minister said that in 2023, Kazakhstan’s electrical energy "
                "consumption was 115 billion kWh, compared to 112.9 billion kWh in 2022."
            ),
            (
                "Power generation amounted to 112.8 billion kWh, the import of electrical energy "
                "was 3.4 billion kWh, and export 1.4 billion kWh. The Prime Minister emphasized "
                "that the Head of State had ordered that an additional generating capacity of at "
                "least 14 GW be commissioned, which is also necessary to achieve the goal of "
                "doubling the country’s GDP. “To do this, we need rapid development of the energy "
                "industry,”"
            ),
            (
                "Smailov said. To achieve a 15% share of renewable energy by 2030, major projects "
                "will be implemented with strategic investors, such as Total Energies, ACWA Power "
                "and Masdar, he stated."
            ),
        ),
    ),
    (
        "Kazakhstan Launches Online Video Conferencing Platform",
        (
            (
                "The Ministry of Digital Development, Innovation and Aerospace Industry of "
                "Kazakhstan has announced the launch of Qosyl, an online video conferencing "
                "platform which is analogous to Zoom. The launch of the system in pilot mode is "
                "now complete, and central government agencies are now using the software for "
                "video conferencing. The Minister of Digital Development, Innovation and "
                "Aerospace Industry, Bagdat Musin emphasized the importance of the project."
            ),
            (
                "“Today, government agencies actively use online platforms to hold meetings, "
                "which saves time for civil servants. The Qosyl project ensures that meetings are "
                "held in a secure information environment, which is especially important for "
                "government agencies,” said Musin."
            ),
            (
                "According to the project manager, Nurislan Isakov, “this plan was created in "
                "2020, during the pandemic. There were requests from government agencies to "
                "create an online video conferencing platform which would not depend on foreign "
                "manufacturers and would not use their servers. It was a prerequisite that the "
                "product run on servers in Kazakhstan, which ensures information security."
            ),
            (
                "“Due to the fact that the servers are located in Kazakhstan,” Isakov continued, "
                "“all media traffic does not pass through foreign countries."
            ),
            (
                "The second point, when compared with Zoom, is that our product is easier to use, "
                "even for an inexperienced user. It does not require downloading additional "
                "applications; you can connect through any browser on any device.”"
            ),
        ),
    ),
    (
        "The NeMolchi.kz Foundation: Unraveling the Controversy Surrounding Dina Tansari",
        (
            (
                "In a recent development, Dina Tansari, the head of the public foundation "
                '"NeMolchi.kz," has found herself at the center of six criminal cases, two of '
                "which involve allegations of fraud, according to the Ministry of Internal "
                "Affairs. Tansari, also known as Dinara Smailova, stands accused of disseminating "
                "false information, infringing upon privacy rights, and engaging in fraudulent "
                "activities, as outlined by the police investigations. The foundation she leads, "
                '"NeMolchi.kz," primarily focuses on advocating against violence targeting women '
                "and children in Kazakhstan."
            ),
            (
                "However, investigations have revealed alleged discrepancies in Tansari's "
                "actions. Forensic examinations indicate a tendency in her publications toward "
                "accusatory tones, built solely on subjective perspectives, as stated by "
                "authorities."
            ),
            (
                "Moreover, reports suggest that since 2021, while residing outside Kazakhstan, "
                "she used social media to solicit funds supposedly intended to aid victims of "
                "violence. One notable incident involves the publication of misleading "
                "information in April 2023 about the alleged suicide of a girl in "
                "Ust-Kamenogorsk. Tansari's subsequent posts expressing condolences and mistrust "
                "of police statements were deemed false."
            ),
            (
                "Consequently, these actions led to a criminal case based on the charge of "
                "hooliganism and injury to a minor, which was forwarded to court. Despite these "
                "circumstances, Tansari initiated a fundraising campaign purportedly for the "
                "victim's legal counsel, amassing over 20 million tenge ($44,000)."
            ),
            (
                "However, only a fraction was utilized for the intended purpose. An analysis of "
                "financial data, sanctioned by the court, disclosed that funds intended for the "
                "foundation were diverted to Tansari's husband's personal account and spent on "
                "her personal expenses abroad, violating laws governing non-profit organizations. "
                "This turn of events led law enforcement to place Tansari on the wanted list on "
                "December 27th."
            ),
            (
                "In response, she expressed her concerns on Instagram, highlighting that seven "
                "individuals were victims in her case and appealing for support from the people "
                "of Kazakhstan. Previously, Tansari reported the fund's accounts being blocked in "
                "November, and faced accusations of fraud by the East Kazakhstan police in early "
                "December."
            ),
            (
                "Subsequently, she and her husband, Almat Mukhamedzhanov, sought political asylum "
                "in Europe, claiming persecution due to NeMolchi.kz's activities. Established in "
                '2017, "NeMolchi.kz" focuses on addressing violence against women and children in '
                "Kazakhstan through donations. Despite the recent controversy, the foundation has "
                "been active in initiating criminal cases against 81 alleged rapists over the "
                "past five years."
            ),
            (
                "The foundation offers a diverse array of support to victims, spanning legal, "
                "psychological, and medical aid, alongside educational initiatives and "
                "legislative advocacy for victim protection. While Tansari's current predicament "
                'unfolds, the legacy of "NeMolchi.kz" in aiding victims and fighting against '
                "violence remains a significant aspect of its ongoing mission, both within "
                "Kazakhstan and across various neighboring countries."
            ),
        ),
    ),
    (
        "Kazakhstan Seeks to Increase Investment Attractiveness of Exploration for Hydrocarbons",
        (
            (
                "On December 28th, a law “On Amendments and Additions to Certain Legislative Acts "
                "of the Republic of Kazakhstan on Subsoil Use and Ecology” was signed, which, "
                "among others, is aimed at increasing the investment attractiveness of geological "
                "exploration for hydrocarbons, encouraging investment in depleting deposits, and "
                "fixing the minimum amount of equity participation (50% or more) of the national "
                "company in the field of hydrocarbons in large deposits. In an address to the "
                "nation on September 1st, President Tokayev had stated that “Geological "
                "exploration requires special attention. In 2018, in order to replenish the "
                "mineral resource base, new legislation was adopted to manage the mining sector."
            ),
            (
                "However, it did not work in full. As a result, there have been no significant "
                "geological discoveries in our resource-rich country for a long time."
            ),
            (
                "This situation urgently needs to be rectified.” The relevant departments were "
                "then tasked with modernizing the mining sector management system as soon as "
                "possible, reducing the time-frame and procedures for approving projects by "
                "introducing comprehensive state expertise and the complete digitization of the "
                "process. The implementation of the law will give additional impetus to "
                "investment in geological exploration in the field of hydrocarbons in Kazakhstan, "
                "the Energy Ministry stated."
            ),
        ),
    ),
    (
        "Twelve Regional IT-Hubs Operating in Kazakhstan",
        (
            (
                "The development of regional IT hubs is one of the priorities of the Ministry of "
                "Digital Development, Innovation and Aerospace Industry of Kazakhstan, the "
                "ministry stated on January 3rd. The goal of regional IT hubs is the development "
                "of innovative projects in the regions and the training of specialists in the "
                "field of information technology. These platforms are also a space for creating "
                "local IT communities, bringing together startups and investors."
            ),
            (
                "The main task of regional IT hubs is to help young entrepreneurs organize "
                "startup projects. President Kassym-Jomart Tokayev also spoke about the "
                "importance of expanding the innovation ecosystem at a regional level when "
                "delivering his Address to the Nation last year."
            ),
            (
                "Today, 12 regional IT-hubs are officially open and successfully functioning "
                "across Kazakhstan: Abai IT Valley (Semey, Abai Oblast), Kyzylorda Hub (Kyzylorda "
                "city), Digital Jetisu (Taldylkorgan city), Zhambyl Hub (Taraz city), Oskemen IT "
                "Hub (Oskemen city), Jaiq Hub (Uralsk city), Turkistan IT Hub (Turkistan city), "
                "Qostanai IT Hub (Qostanai city), Aqtobe IT Hub (Aqtobe city), Pavlodar Hub "
                "(Pavlodar city), Aqmola IT Hub (Kokshetau city), and Terricon Valley (Karaganda "
                "city). These IT-hubs have presented 194 promising startup projects from the "
                "regions."
            ),
        ),
    ),
)
